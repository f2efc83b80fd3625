"""The comparison peer: the same durable webhook ingest (secret check, JSON parse, insert with
dedupe on update_id plus the chat row) in the seeds' stack, FastAPI + asyncpg under uvicorn."""
import hmac
import json
import os

import asyncpg
from fastapi import FastAPI, Request, Response

DSN = os.environ["BENCH_DSN"]
SECRET = "bench-secret"
app = FastAPI()
pool = None

STORE = """
WITH stored AS (
    INSERT INTO benchpy.updates (update_id, chat_id, kind, payload) VALUES ($1, $2, $3, $4::jsonb)
    ON CONFLICT (update_id) DO NOTHING RETURNING chat_id),
chat AS (
    INSERT INTO benchpy.chats (chat_id) SELECT chat_id FROM stored ON CONFLICT (chat_id) DO NOTHING)
SELECT count(*) FROM stored
"""


@app.on_event("startup")
async def startup():
    global pool
    pool = await asyncpg.create_pool(DSN, min_size=4, max_size=16)


@app.post("/telegram/webhook")
async def webhook(request: Request):
    if not hmac.compare_digest(request.headers.get("x-telegram-bot-api-secret-token", ""), SECRET):
        return Response(status_code=401)
    body = await request.body()
    if len(body) > 1024 * 1024:
        return Response(status_code=413)
    try:
        update = json.loads(body)
        update_id = int(update["update_id"])
    except (ValueError, KeyError, TypeError):
        return Response(status_code=400)
    kind, chat_id = "unknown", 0
    for key, value in update.items():
        if key != "update_id" and isinstance(value, dict):
            kind = key
            chat_id = (value.get("chat") or value.get("from") or {}).get("id", 0)
            break
    async with pool.acquire() as connection:
        await connection.fetchval(STORE, update_id, chat_id, kind, body.decode())
    return Response(status_code=200)
