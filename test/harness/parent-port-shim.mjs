// Loaded with --import into a forked Node process: gives it Electron's `process.parentPort` (messages arrive as
// `{ data }`, as in a utility process) and hides Node's own IPC, so only the utility-process path can answer.
const send = process.send.bind(process);
delete process.send;
process.parentPort = {
  postMessage: (value) => send(value),
  on: (event, listener) => process.on(event, (data) => listener({ data })),
};
