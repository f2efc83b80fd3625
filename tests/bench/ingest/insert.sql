\set id random(1, 2000000000)
\set chat random(1000, 6000)
WITH stored AS (
    INSERT INTO benchpy.updates (update_id, chat_id, kind, payload)
    VALUES (:id, :chat, 'message', '{"update_id":1,"message":{"message_id":1,"date":1795000000,"chat":{"id":1,"type":"private"},"text":"/start"}}')
    ON CONFLICT (update_id) DO NOTHING RETURNING chat_id),
chat AS (
    INSERT INTO benchpy.chats (chat_id) SELECT chat_id FROM stored ON CONFLICT (chat_id) DO NOTHING)
SELECT count(*) FROM stored;
