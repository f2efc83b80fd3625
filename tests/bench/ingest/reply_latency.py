"""/start → menu reply through the playground at a fixed rate: each user sends /start through the
emulator's test API and waits for the bot's reply; prints the p50 and p99 of send→reply in ms.

With a psql command line as the fifth argument it also prints (to stderr) where each user's time went. The
emulator stamps its messages with CLOCK_MONOTONIC (the same clock as this process's time.monotonic()): when it
took the user's /start, when it handed the update to the bot, when the bot's reply arrived. The bot's own rows
add three wall-clock stamps (bot.updates.received_at: the group commit's statement; processed_at: the start of
the step's save transaction; bot.outbound.sent_at: after the sendMessage call). The transcripts and rows are
read after the run, so the split adds no load to it."""
import json
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

base, rate, count, run = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
psql = sys.argv[5] if len(sys.argv) > 5 else None


def post(path, body, timeout=60):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def get(path, timeout=60):
    with urllib.request.urlopen(base + path, timeout=timeout) as response:
        return json.loads(response.read())


def one(user):
    post("/api/users", {"id": user, "first_name": "Bench", "language_code": "en"})
    started = time.monotonic()
    sent = post(f"/api/chats/{user}/messages", {"text": "/start"})["message_ids"][0]
    reply = post(f"/api/chats/{user}/wait", {"after_message_id": sent, "text_contains": "Hi, Bench", "timeout_ms": 30000})
    done = time.monotonic()
    return user, sent, started * 1000, done * 1000, reply["message"]["arrived_ms"]


results = []
with ThreadPoolExecutor(max_workers=64) as pool:
    futures = []
    begin = time.perf_counter()
    for i in range(count):
        delay = begin + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        futures.append(pool.submit(one, 900000 + run * 100000 + i))
    for future in futures:
        results.append(future.result())
latencies = sorted(done - started for _, _, started, done, _ in results)
print(f"{latencies[len(latencies) // 2]:.1f} {latencies[int(len(latencies) * 0.99) - 1]:.1f}")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


if psql:
    # Wall clock (PostgreSQL's now()) → this process's monotonic milliseconds.
    wall_to_monotonic = (time.monotonic() - time.time()) * 1000
    users = [user for user, *_ in results]
    query = f"""
            SELECT u.chat_id, extract(epoch FROM u.received_at) * 1000, extract(epoch FROM u.processed_at) * 1000,
                   (SELECT extract(epoch FROM min(o.sent_at)) * 1000 FROM bot.outbound o WHERE o.chat_id = u.chat_id)
            FROM bot.updates u WHERE u.chat_id BETWEEN {min(users)} AND {max(users)}"""
    for _ in range(50):
        # A reply the client already has may not be marked sent yet (the mark follows the call): wait for it.
        rows = subprocess.run(psql.split() + ["-AtF,", "-c", query], check=True, stdout=subprocess.PIPE, text=True).stdout.split()
        if len(rows) == len(users) and all(",," not in row and not row.endswith(",") for row in rows):
            break
        time.sleep(0.1)
    stamps = {int(chat): [float(v) + wall_to_monotonic for v in rest] for chat, *rest in (row.split(",") for row in rows)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        transcripts = dict(zip(users, pool.map(lambda user: get(f"/api/chats/{user}/transcript"), users)))
    stages = ["client → emulator", "emulator → bot (getUpdates)", "bot got it → stored", "stored → step saved",
              "saved → reply at emulator", "emulator → client", "(sent_at − reply at emulator)"]
    splits = []
    for user, sent, started, done, replied in results:
        start = next(m for m in transcripts[user]["messages"] if m["message_id"] == sent)
        received, saved, marked = stamps[user]
        points = [started, start["arrived_ms"], start["delivered_to_bot_ms"], received, saved, replied, done]
        splits.append(([b - a for a, b in zip(points, points[1:])] + [marked - replied], done - started))
    slowest = [split for split, total in sorted(splits, key=lambda s: s[1])[-max(1, len(splits) // 100):]]
    print(f"{'stage (ms)':32} {'p50':>8} {'p99':>8} {'max':>8} {'mean of slowest 1%':>20}", file=sys.stderr)
    for i, stage in enumerate(stages):
        values = [split[i] for split, _ in splits]
        print(f"{stage:32} {percentile(values, 0.5):8.1f} {percentile(values, 0.99):8.1f} {max(values):8.1f} "
              f"{sum(s[i] for s in slowest) / len(slowest):20.1f}", file=sys.stderr)
