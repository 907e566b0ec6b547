"""The fake platforms' server takes connections as a platform's front end
does: many at once, before it has got round to accepting them."""

import socket

import requests

from demo.fakes.server import FakePlatforms


def test_a_burst_of_connections_waits_in_the_backlog_and_is_answered():
    fake, burst = FakePlatforms(), []
    try:
        host, port = fake.httpd.server_address[:2]
        # Nothing accepts yet: every connection must wait in the listen
        # backlog (socketserver's default of 5 dropped the sixth's SYN).
        for _ in range(64):
            burst.append(socket.create_connection((host, port), timeout=0.5))
        fake.start()
        for sock in burst:
            sock.sendall(b"GET /nothing-here HTTP/1.1\r\nHost: fake\r\nConnection: close\r\n\r\n")
        answers = [sock.recv(12) for sock in burst]
        assert all(answer.startswith(b"HTTP/1.") for answer in answers)
        assert requests.get(f"{fake.url}/nothing-here", timeout=5).status_code == 404
    finally:
        for sock in burst:
            sock.close()
        if fake.thread is not None:
            fake.stop()
        else:
            fake.httpd.server_close()
