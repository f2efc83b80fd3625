"""Video tools through the playground's Bot API emulator: a generated 60 s input sent as a file, one job
with subtitles only and one with everything (translation, voice-over, bold captions, 9:16 blur), timed
from the start tap to "Done" (and the upload: the bot's download plus Generation's ffprobe and store,
from sending the file to the options message). The baselines are plain ffmpeg runs on the same file in the same run:
audio extraction alone, and a 1080×1920 blurred-background render alone (same x264 preset).
Per-step times come from the Host's log. Prints one JSON line."""
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

base, log_path, preset = sys.argv[1], sys.argv[2], sys.argv[3]
ADMIN, USER = 1, 424242


def post(path, body, timeout=900):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def wait(user, text, after=0, edits=0, timeout_ms=900000):
    return post(f"/api/chats/{user}/wait", {"text_contains": text, "after_message_id": after, "min_edit_count": edits, "timeout_ms": timeout_ms})["message"]


def say(user, text):
    return post(f"/api/chats/{user}/messages", {"text": text})["message_ids"][0]


def press(user, message_id, data):
    post(f"/api/chats/{user}/callbacks", {"message_id": message_id, "callback_data": data})


def send_document(user, path):
    boundary = "nbbench"
    with open(path, "rb") as f:
        content = f.read()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"input.mp4\"\r\nContent-Type: video/mp4\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{base}/api/chats/{user}/documents", data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())["message_ids"][0]


def button(message, prefix):
    return next(b["callback_data"] for row in message["inline_keyboard"] for b in row if (b.get("callback_data") or "").startswith(prefix))


def timed(seconds_label, arguments):
    started = time.perf_counter()
    subprocess.run(arguments, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def run_job(toggles):
    wait(USER, "per started minute", say(USER, "🎞 Video tools"))
    sent = time.perf_counter()
    options = wait(USER, "billed as", send_document(USER, video))
    inspects.append(time.perf_counter() - sent)
    edits = 0
    for data in toggles:
        press(USER, options["message_id"], data)
        edits += 1
        # Any text: "🌐 Translate" shows the language picker in the same message, not the options.
        options = wait(USER, "", options["message_id"] - 1, edits)
    started = time.perf_counter()
    press(USER, options["message_id"], button(options, "vt:go:"))
    wait(USER, "✅ Done!", options["message_id"])
    return time.perf_counter() - started


inspects = []
work = tempfile.mkdtemp(prefix="nb-bench-vt-")
video = f"{work}/input.mp4"
# 60 s of test pattern with "speech": 3 s of tone, 1 s of pause, like sentences.
subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=s=1280x720:r=25:d=60",
                "-f", "lavfi", "-i", "aevalsrc=0.4*sin(2*PI*300*t)*lt(mod(t\\,4)\\,3):s=44100:d=60",
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", video], check=True)

post("/api/users", {"id": ADMIN, "first_name": "Admin", "language_code": "en"})
post("/api/users", {"id": USER, "first_name": "Bench", "language_code": "en"})
wait(ADMIN, "Admin", say(ADMIN, "/start"))
wait(USER, "Bench", say(USER, "/start"))
wait(ADMIN, "Done:", say(ADMIN, f"/grant {USER} 1000"))

subtitles = run_job([])
full = run_job(["vt:tr", "vt:lang:de", "vt:voice", "vt:cap", "vt:cap", "vt:vert"])
extract = timed("extract", ["ffmpeg", "-nostdin", "-y", "-i", video, "-vn", "-ac", "1", "-ar", "16000", "-c:a", "flac", f"{work}/a.flac"])
render = timed("render", ["ffmpeg", "-nostdin", "-y", "-i", video, "-filter_complex",
                          "[0:v]split=2[b][f];[b]scale=270:480:force_original_aspect_ratio=increase,crop=270:480,boxblur=10:2,scale=1080:1920[bg];"
                          "[f]scale=1080:1920:force_original_aspect_ratio=decrease[fg];[bg][fg]overlay=(W-w)/2:(H-h)/2,format=yuv420p[v]",
                          "-map", "[v]", "-map", "0:a", "-c:v", "libx264", "-preset", preset, "-crf", "23", "-c:a", "aac", f"{work}/r.mp4"])

# Per job, in the order the jobs ran (subtitles, then full): step → seconds.
jobs = {}
with open(log_path, encoding="utf-8", errors="replace") as log:
    for line in log:
        if "done in" not in line or not line.startswith("{"):
            continue
        state = json.loads(line).get("State", {})
        if "Step" in state and "ElapsedMs" in state and "JobId" in state:
            jobs.setdefault(state["JobId"], {})[state["Step"]] = float(state["ElapsedMs"]) / 1000
steps = list(jobs.values())
shutil.rmtree(work, ignore_errors=True)
print(json.dumps({"subtitles": subtitles, "full": full, "extract": extract, "render": render, "inspect": inspects, "steps": steps}))
