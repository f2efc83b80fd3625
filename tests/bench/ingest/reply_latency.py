"""/start → menu reply through the playground at a fixed rate: each user sends /start through the
emulator's test API and waits for the bot's reply; prints the p50 and p99 of send→reply in ms."""
import json
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

base, rate, count, run = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])


def post(path, body, timeout=60):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def one(user):
    post("/api/users", {"id": user, "first_name": "Bench", "language_code": "en"})
    started = time.perf_counter()
    sent = post(f"/api/chats/{user}/messages", {"text": "/start"})["message_ids"][0]
    post(f"/api/chats/{user}/wait", {"after_message_id": sent, "text_contains": "Hi, Bench", "timeout_ms": 30000})
    return (time.perf_counter() - started) * 1000


latencies, lock = [], threading.Lock()
with ThreadPoolExecutor(max_workers=64) as pool:
    futures = []
    begin = time.perf_counter()
    for i in range(count):
        delay = begin + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        futures.append(pool.submit(one, 900000 + run * 100000 + i))
    for future in futures:
        latencies.append(future.result())
latencies.sort()
print(f"{latencies[len(latencies) // 2]:.1f} {latencies[int(len(latencies) * 0.99) - 1]:.1f}")
