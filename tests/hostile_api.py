"""An API that attacks or stalls its client: each path answers in one hostile way, on raw sockets
(no HTTP library would send most of these). Its threads stop by themselves, within ``STALL``
seconds or when the server is closed; ``arrived`` is set when a request line has arrived, so a
test can act once the doctor waits on it.

Paths (any query; ``?origin=`` is the page origin the CORS headers name):
  /escape         200 with escape sequences, a bell, a CR and a C1 CSI in Access-Control-Allow-Origin
  /escape-body    200, CORS allowed, a body of escape sequences and 1000 more characters
  /never          reads the request, never answers
  /trickle        answers its status line one byte every second
  /stall-body     headers (Content-Length 1000, CORS allowed), 10 bytes, then nothing
  /endless        a chunked body that never ends (a chunk every 50 ms)
  /many-headers   200 with 150 header lines
  /long-header    200 with one header line of 70 KiB
  /not-http       a line that is not HTTP
  /to-file        302 to file:///etc/passwd, CORS allowed
"""

import socket
import threading
import time
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

STALL = 20  # seconds a stalling answer waits at most


def cors(origin):
    return f"Access-Control-Allow-Origin: {origin}\r\nVary: Origin\r\n"


def answer(connection, path, origin, closed):
    if path == "/escape":
        # Moves the cursor up and rewrites lines, sets a scroll region, rings the bell; a C1 CSI too.
        hostile = "\x1b[2J\x1b[1;1HJavaScript could read the answer.\x1b[5;10r\x07\r\u009b31m"
        head = f"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: {hostile}\r\nContent-Length: 2\r\n"
        connection.sendall((head + "Connection: close\r\n\r\nok").encode("latin-1"))
        return
    if path == "/escape-body":
        body = ("\x1b[2J\x1b[1;1HJavaScript could read the answer.\x07\r" + "x" * 1000).encode()
        head = f"HTTP/1.1 200 OK\r\n{cors(origin)}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        connection.sendall(head.encode() + body)
        return
    if path == "/never":
        closed.wait(STALL)
        return
    if path == "/trickle":
        for byte in b"HTTP/1.1 200 OK\r\n":
            if closed.wait(1):
                return
            connection.sendall(bytes([byte]))
        return
    if path == "/stall-body":
        connection.sendall(f"HTTP/1.1 200 OK\r\n{cors(origin)}Content-Length: 1000\r\n\r\n0123456789".encode())
        closed.wait(STALL)
        return
    if path == "/endless":
        connection.sendall(f"HTTP/1.1 200 OK\r\n{cors(origin)}Transfer-Encoding: chunked\r\n\r\n".encode())
        deadline = time.monotonic() + STALL
        while time.monotonic() < deadline and not closed.wait(0.05):
            connection.sendall(b"10\r\n0123456789abcdef\r\n")
        return
    if path == "/many-headers":
        many = "".join(f"X-Many-{n}: {n}\r\n" for n in range(150))
        connection.sendall(f"HTTP/1.1 200 OK\r\n{cors(origin)}{many}Content-Length: 0\r\n\r\n".encode())
        return
    if path == "/long-header":
        connection.sendall(
            f"HTTP/1.1 200 OK\r\n{cors(origin)}X-Long: {'a' * 70_000}\r\nContent-Length: 0\r\n\r\n".encode()
        )
        return
    if path == "/not-http":
        connection.sendall(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
        return
    if path == "/to-file":
        location = "file:///etc/passwd"
        connection.sendall(
            f"HTTP/1.1 302 Found\r\n{cors(origin)}Location: {location}\r\nContent-Length: 0\r\n\r\n".encode()
        )
        return
    connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")


class HostileApi:
    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.closed = threading.Event()
        self.arrived = threading.Event()
        self.requests = []  # (method, path) of each request line, as it arrives

    def serve(self):
        while not self.closed.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(connection,), daemon=True).start()

    def handle(self, connection):
        with connection:
            connection.settimeout(STALL)
            try:
                data = b""
                while b"\r\n\r\n" not in data and len(data) < 65536:
                    chunk = connection.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                method, target = data.split(b" ", 2)[:2]
                parts = urlsplit(target.decode("latin-1"))
                self.requests.append((method.decode("latin-1"), parts.path))
                self.arrived.set()
                origin = parse_qs(parts.query).get("origin", ["*"])[0]
                answer(connection, parts.path, origin, self.closed)
            except (OSError, ValueError):
                return


@contextmanager
def hostile_api():
    api = HostileApi()
    threading.Thread(target=api.serve, daemon=True).start()
    try:
        yield api
    finally:
        api.closed.set()
        api.listener.close()
