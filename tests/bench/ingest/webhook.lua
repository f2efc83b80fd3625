-- Posts unique Telegram updates to the webhook; each wrk thread owns a disjoint update_id range.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("base", (#threads + 1) * 100000000)
  table.insert(threads, thread)
end

function init(args)
  counter = base
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Telegram-Bot-Api-Secret-Token"] = "bench-secret"
end

function request()
  counter = counter + 1
  local chat = 1000 + (counter % 5000)
  local body = '{"update_id":' .. counter .. ',"message":{"message_id":1,"date":1795000000,'
    .. '"chat":{"id":' .. chat .. ',"type":"private"},"from":{"id":' .. chat .. ',"is_bot":false,"first_name":"B"},"text":"/start"}}'
  return wrk.format(nil, "/telegram/webhook", nil, body)
end
