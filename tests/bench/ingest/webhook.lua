-- Posts unique Telegram updates to the webhook. Arguments: RUN CHATS. Each wrk thread owns a disjoint
-- update_id range per run, and each run's updates go to CHATS chats of its own (new to the bot), which the
-- threads walk together: concurrent requests carry the same new chats.
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local run = tonumber(args[1] or "0")
  chats = tonumber(args[2] or "5000")
  counter = thread_index * 100000000 + run * 1000000
  chat_base = 1000 + run * 10000000
  sent = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Telegram-Bot-Api-Secret-Token"] = "bench-secret"
end

function request()
  counter = counter + 1
  sent = sent + 1
  local chat = chat_base + (sent % chats)
  local body = '{"update_id":' .. counter .. ',"message":{"message_id":1,"date":1795000000,'
    .. '"chat":{"id":' .. chat .. ',"type":"private"},"from":{"id":' .. chat .. ',"is_bot":false,"first_name":"B"},"text":"/start"}}'
  return wrk.format(nil, "/telegram/webhook", nil, body)
end
