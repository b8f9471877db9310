"""A real pymodbus RTU slave on a serial device (one end of a socat pty pair) for FieldKit's Modbus tests.

usage: modbus_slave.py PORT CONFIG_JSON
CONFIG_JSON: {"baudrate": 9600, "units": {"1": {"holding": {"0": [1, 2]}, "input": {"10": [3]}}}}
stdin commands: "corrupt N" flips a CRC byte in the next N responses. The slave exits when stdin closes (its parent
test process is gone).
Prints "ready" once the port is open.
"""
import asyncio
import json
import os
import sys
import threading

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncSerialServer
from pymodbus.transaction import ModbusRtuFramer

corrupt_next = 0


class CorruptingRtuFramer(ModbusRtuFramer):
    def buildPacket(self, message):  # noqa: N802 (pymodbus API name)
        global corrupt_next
        packet = super().buildPacket(message)
        if corrupt_next > 0:
            corrupt_next -= 1
            packet = packet[:-1] + bytes([packet[-1] ^ 0xFF])
        return packet


def block(spec):
    values = [0] * 1024
    for start, words in spec.items():
        for i, word in enumerate(words):
            values[int(start) + i] = word
    return ModbusSequentialDataBlock(0, values)


def read_commands():
    global corrupt_next
    for line in sys.stdin:
        parts = line.split()
        if len(parts) == 2 and parts[0] == "corrupt":
            corrupt_next = int(parts[1])
            print("ok", flush=True)
    os._exit(0)


async def main():
    port, config = sys.argv[1], json.loads(sys.argv[2])
    slaves = {
        int(unit): ModbusSlaveContext(hr=block(spec.get("holding", {})), ir=block(spec.get("input", {})), zero_mode=True)
        for unit, spec in config["units"].items()
    }
    context = ModbusServerContext(slaves=slaves, single=False)
    server = await StartAsyncSerialServer(
        context=context, framer=CorruptingRtuFramer, port=port, baudrate=config.get("baudrate", 9600),
        ignore_missing_slaves=True, defer_start=True,
    )
    await server.start()
    threading.Thread(target=read_commands, daemon=True).start()
    print("ready", flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
