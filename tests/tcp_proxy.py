"""A TCP proxy for fault tests: the portal talks to PostgreSQL through it, and a test cuts
and restores the line without touching the shared database server.

* ``cut()``: close every open connection and refuse new ones (connection refused), as when
  the database server or the network to it is gone;
* ``drop_connections()``: close the open connections only, as when a firewall or the
  database's idle timeout drops them; new ones are accepted;
* ``restore()``: accept connections again, on the same port.
"""

import contextlib
import socket
import threading


class TcpProxy:
    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.port = None
        self.listener = None
        self.lock = threading.Lock()
        self.open_sockets = set()

    def start(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port or 0))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    restore = start

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # the listener was closed: cut()
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.open_sockets.update((client, server))
            for source, destination in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, destination), daemon=True).start()

    def _pump(self, source, destination):
        try:
            while data := source.recv(65536):
                destination.sendall(data)
        except OSError:
            pass
        finally:
            self._close(source)
            self._close(destination)

    def _close(self, sock):
        with self.lock:
            self.open_sockets.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def drop_connections(self):
        with self.lock:
            sockets = list(self.open_sockets)
        for sock in sockets:
            self._close(sock)

    def cut(self):
        if self.listener is not None:
            # shutdown() first: on Linux, close() alone does not wake the thread blocked in
            # accept(), which would go on accepting connections.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        self.drop_connections()

    def stop(self):
        self.cut()
