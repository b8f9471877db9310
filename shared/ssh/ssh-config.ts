import { globMatches } from './known-hosts.js';

/** The ssh_config keywords FieldKit profiles use; others are kept in `other` so nothing is silently lost. */
export interface SshConfigHost {
  alias: string;
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  proxyJump?: string;
  identitiesOnly?: boolean;
}

interface Block {
  patterns: string[];
  options: [keyword: string, value: string][];
}

export interface SshConfigProblem {
  line: number;
  reason: string;
}

export interface SshConfig {
  blocks: Block[];
  problems: SshConfigProblem[];
}

export function parseSshConfig(text: string): SshConfig {
  const blocks: Block[] = [{ patterns: ['*'], options: [] }];
  const problems: SshConfigProblem[] = [];
  let skipping = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m || m[2].trim() === '') {
      problems.push({ line: index + 1, reason: 'keyword without a value' });
      return;
    }
    const keyword = m[1].toLowerCase();
    const args = splitArgs(m[2]);
    if (keyword === 'host') {
      skipping = false;
      blocks.push({ patterns: args, options: [] });
    } else if (keyword === 'match') {
      skipping = true;
      problems.push({ line: index + 1, reason: 'Match blocks are not supported; their options are ignored' });
    } else if (keyword === 'include') {
      problems.push({ line: index + 1, reason: 'Include is not followed; import the included file separately' });
    } else if (!skipping) {
      blocks[blocks.length - 1].options.push([keyword, args.join(' ')]);
    }
  });
  return { blocks, problems };
}

function splitArgs(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2]);
  return out;
}

function blockApplies(block: Block, alias: string): boolean {
  let matched = false;
  for (const p of block.patterns) {
    const negated = p.startsWith('!');
    if (!globMatches(negated ? p.slice(1) : p, alias)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** ssh_config semantics: the first value obtained for a keyword wins, except IdentityFile which accumulates. */
export function resolveHost(config: SshConfig, alias: string): SshConfigHost {
  const first = new Map<string, string>();
  const identityFiles: string[] = [];
  for (const block of config.blocks) {
    if (!blockApplies(block, alias)) continue;
    for (const [keyword, value] of block.options) {
      if (keyword === 'identityfile') identityFiles.push(value);
      else if (!first.has(keyword)) first.set(keyword, value);
    }
  }
  const port = first.has('port') ? Number(first.get('port')) : undefined;
  const hostName = first.get('hostname')?.replace(/%h/g, alias);
  return {
    alias,
    identityFiles,
    ...(hostName ? { hostName } : {}),
    ...(first.has('user') ? { user: first.get('user') } : {}),
    ...(port !== undefined && Number.isInteger(port) && port > 0 && port < 65536 ? { port } : {}),
    ...(first.has('proxyjump') ? { proxyJump: first.get('proxyjump') } : {}),
    ...(first.has('identitiesonly') ? { identitiesOnly: first.get('identitiesonly')!.toLowerCase() === 'yes' } : {}),
  };
}

/** Concrete aliases (no wildcards or negations): the hosts a user can import as profiles. */
export function listAliases(config: SshConfig): string[] {
  const names = config.blocks.flatMap((b) => b.patterns).filter((p) => !/[*?!]/.test(p));
  return [...new Set(names)];
}
