#!/usr/bin/env python3
"""latproxy.py: a TCP relay on loopback that plays a far-away server.

    latproxy.py --target 127.0.0.1:PORT --delay-ms D [--lifetime S]
                [--stats FILE] [--listen ADDR] [--port N]

Listens on 127.0.0.1 port 0 (the OS picks), prints "PORT n", and relays
every connection to --target. Each chunk is held for D ms in each direction
(D = 50 gives a 100 ms round trip), order kept, FIN and RST passed on after
the same delay. The kernel here has no netem, so this is the substitute.

A real TCP connect costs a round trip before the client may send, and the
server accepts half a round trip later; here the kernel completes the
client's connect at once. So the relay opens the upstream connection only
1.5 round trips after the accept, and holds the client's bytes until then:
a client that sends at once gets its first answer after 2 round trips, as
over a real link.

--listen (a loopback address, default 127.0.0.1) and --port (default 0)
let several relays share one port on 127.0.0.1, .2 and .3: the servers of
a round-robin name. A port already taken exits with status 3.

--stats FILE is rewritten after every accept with the number of connections
accepted so far (how the bench counts each tool's TCP connections). The
relay exits by itself after --lifetime seconds (default 900) so a lost bench
leaves nothing behind. Loopback only: --target must be 127.0.0.1 or ::1.
"""

import argparse
import asyncio
import os
import signal
import socket
import struct
import sys

CHUNK = 65536


def rst_close(writer):
	"""Close with RST (SO_LINGER 0), as the peer did."""
	sock = writer.get_extra_info("socket")
	try:
		if sock is not None:
			sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
			                struct.pack("ii", 1, 0))
	except OSError:
		pass
	writer.transport.abort()


class Relay:
	def __init__(self, args):
		self.host, port = args.target.rsplit(":", 1)
		self.host = self.host.strip("[]")
		self.port = int(port)
		self.delay = args.delay_ms / 1000.0
		self.stats = args.stats
		self.count = 0

	def write_stats(self):
		if not self.stats:
			return
		tmp = self.stats + ".tmp"
		with open(tmp, "w") as f:
			f.write("%d\n" % self.count)
		os.replace(tmp, self.stats)

	async def pump(self, reader, queue):
		"""Read one side; queue (due, data) -- data b"" is FIN, None RST."""
		loop = asyncio.get_running_loop()
		try:
			while True:
				data = await reader.read(CHUNK)
				await queue.put((loop.time() + self.delay, data))
				if not data:
					return
		except (ConnectionError, OSError):
			await queue.put((loop.time() + self.delay, None))

	async def deliver(self, queue, writer_fut, peer_done):
		"""Write each chunk at its due time to the other side."""
		loop = asyncio.get_running_loop()
		writer = None
		while True:
			due, data = await queue.get()
			wait = due - loop.time()
			if wait > 0:
				await asyncio.sleep(wait)
			if writer is None:
				writer = await writer_fut
				if writer is None:
					return
			try:
				if data is None:
					rst_close(writer)
					return
				if not data:
					if writer.can_write_eof():
						writer.write_eof()
					return
				writer.write(data)
				await writer.drain()
			except (ConnectionError, OSError, RuntimeError):
				return

	async def handle(self, creader, cwriter):
		loop = asyncio.get_running_loop()
		self.count += 1
		self.write_stats()
		up = loop.create_future()
		down = loop.create_future()
		down.set_result(cwriter)
		to_server = asyncio.Queue()
		to_client = asyncio.Queue()
		t_client = asyncio.ensure_future(self.pump(creader, to_server))
		d_server = asyncio.ensure_future(self.deliver(to_server, up, None))
		# The connect round trip, then half a one for the final ACK.
		await asyncio.sleep(3 * self.delay)
		try:
			sreader, swriter = await asyncio.wait_for(
			    asyncio.open_connection(self.host, self.port), 10)
		except (OSError, asyncio.TimeoutError):
			up.set_result(None)
			t_client.cancel()
			d_server.cancel()
			rst_close(cwriter)
			return
		up.set_result(swriter)
		t_server = asyncio.ensure_future(self.pump(sreader, to_client))
		d_client = asyncio.ensure_future(self.deliver(to_client, down, None))
		try:
			await asyncio.wait_for(asyncio.gather(t_client, d_server,
			    t_server, d_client, return_exceptions=True), 300)
		except asyncio.TimeoutError:
			pass
		for w in (cwriter, swriter):
			try:
				w.close()
			except (ConnectionError, OSError, RuntimeError):
				pass


async def main(args):
	relay = Relay(args)
	relay.write_stats()
	try:
		server = await asyncio.start_server(relay.handle, args.listen,
		                                    args.port, backlog=256)
	except OSError:
		sys.exit(3)
	port = server.sockets[0].getsockname()[1]
	print("PORT %d" % port, flush=True)
	async with server:
		try:
			await asyncio.wait_for(server.serve_forever(), args.lifetime)
		except asyncio.TimeoutError:
			pass


def parse():
	ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	ap.add_argument("--target", required=True)
	ap.add_argument("--delay-ms", type=float, default=50.0)
	ap.add_argument("--lifetime", type=float, default=900.0)
	ap.add_argument("--stats")
	ap.add_argument("--listen", default="127.0.0.1")
	ap.add_argument("--port", type=int, default=0)
	args = ap.parse_args()
	if not (args.listen.startswith("127.") or args.listen == "::1"):
		ap.error("--listen: loopback addresses only")
	host = args.target.rsplit(":", 1)[0].strip("[]")
	if host not in ("127.0.0.1", "::1", "localhost"):
		ap.error("loopback targets only")
	if not 0 <= args.delay_ms <= 5000:
		ap.error("--delay-ms: 0..5000")
	return args


if __name__ == "__main__":
	a = parse()
	signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
	try:
		asyncio.run(main(a))
	except (KeyboardInterrupt, SystemExit):
		pass
