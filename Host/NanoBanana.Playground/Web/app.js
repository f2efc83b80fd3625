// Playground web chat. Builds every node with createElement/textContent: data is never parsed as markup.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { version: 0, transcript: null, seenAnswers: new Set(), webAppButtonText: '', loopId: 0 };

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

const userId = () => Number($('user-id').value) || 1;

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json'; }
  const response = await fetch(path, init);
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function toast(text, ms = 2500) {
  const node = $('toast');
  node.textContent = text;
  node.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { node.hidden = true; }, ms);
}

async function run(action) {
  try { return await action(); } catch (error) { toast('⚠ ' + error.message, 4000); return undefined; }
}

function time(unix) {
  return new Date(unix * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function mediaNode(message) {
  if (message.photo) {
    const img = el('img', { src: message.photo.url, alt: 'photo' });
    img.addEventListener('click', () => window.open(message.photo.url, '_blank', 'noopener'));
    return el('div', { class: 'media' }, [img]);
  }
  if (message.video) return el('div', { class: 'media' }, [el('video', { src: message.video.url, controls: '' })]);
  if (message.document) {
    const size = message.document.file_size ? ` · ${(message.document.file_size / 1024).toFixed(1)} KB` : '';
    return el('div', { class: 'doc' }, [
      el('span', { text: '📄' }),
      el('a', { href: message.document.url, download: message.document.file_name || 'file', text: (message.document.file_name || 'file') + size }),
    ]);
  }
  return null;
}

function inlineKeyboard(message) {
  if (!message.inline_keyboard) return null;
  return el('div', { class: 'inline-keyboard' }, message.inline_keyboard.map((row) =>
    el('div', { class: 'kb-row' }, row.map((button) => el('button', {
      type: 'button',
      text: (button.url ? '↗ ' : '') + button.text,
      onclick: () => pressInline(message, button),
    })))));
}

function pressInline(message, button) {
  if (button.callback_data) {
    return run(() => api('POST', `/api/chats/${userId()}/callbacks`, { message_id: message.message_id, callback_data: button.callback_data }));
  }
  if (button.pay) return pay({ message_id: message.message_id });
  if (button.web_app_url) return openWebApp(button.web_app_url, button.text);
  // An invoice link (createInvoiceLink, e.g. a Stars subscription) opens the payment form, as in Telegram.
  if (button.url && button.url.startsWith(`${location.origin}/invoice/`)) return pay({ invoice_link: button.url });
  if (button.url) window.open(button.url, '_blank', 'noopener');
  return undefined;
}

async function pay(target) {
  const outcome = await run(() => api('POST', `/api/chats/${userId()}/payments`, target));
  if (outcome) toast(outcome.status === 'paid' ? '✅ Paid' : `❌ ${outcome.status}: ${outcome.error_message || ''}`, 4000);
  return outcome;
}

async function renew(chargeId) {
  const outcome = await run(() => api('POST', `/api/chats/${userId()}/subscription-renewals`, { telegram_payment_charge_id: chargeId }));
  if (outcome) toast(outcome.status === 'paid' ? '✅ Renewed' : `❌ ${outcome.status}: ${outcome.error_message || ''}`, 4000);
  return outcome;
}

// The user acts on the subscription in Telegram, or Telegram fails to charge a renewal: a `subscription` update.
async function changeSubscription(chargeId, state) {
  const outcome = await run(() => api('POST', `/api/chats/${userId()}/subscription-updates`, { telegram_payment_charge_id: chargeId, state }));
  if (outcome) toast(`📨 subscription: ${state}`, 3000);
  return outcome;
}

function messageNode(message, albumItems) {
  // data-* hooks: stable handles for browser tests (tests/interop/browser/playground.test.mjs).
  const row = el('div', { class: 'row ' + message.from, 'data-message-id': message.message_id, 'data-from': message.from, 'data-edits': message.edit_count || 0 });
  const bubble = el('div', { class: 'bubble' + (message.deleted ? ' deleted' : '') });
  if (message.deleted) {
    bubble.appendChild(el('span', { text: 'message deleted' }));
    row.appendChild(bubble);
    return row;
  }
  if (albumItems) {
    bubble.appendChild(el('div', { class: 'album' }, albumItems.map((item) => {
      const media = mediaNode(item);
      return media ? media.firstChild : null;
    })));
  } else {
    const media = mediaNode(message);
    if (media) bubble.appendChild(media);
  }
  if (message.invoice) {
    bubble.appendChild(el('div', { class: 'invoice' }, [
      el('div', { text: message.invoice.title, style: 'font-weight:600' }),
      el('div', { text: message.invoice.description }),
      el('div', { class: 'price', text: `${message.invoice.total_amount} ${message.invoice.currency === 'XTR' ? '⭐' : message.invoice.currency}` }),
    ]));
  }
  const text = message.text ?? message.caption ?? (albumItems ? albumItems.map((m) => m.caption).find(Boolean) : null);
  if (text) bubble.appendChild(el('div', { text }));
  bubble.appendChild(el('div', { class: 'meta', text: (message.edit_count ? 'edited · ' : '') + time(message.date) }));
  const column = el('div', { style: 'display:flex;flex-direction:column;max-width:100%;align-items:' + (message.from === 'user' ? 'flex-end' : 'flex-start') }, [bubble]);
  if (message.invoice && !message.inline_keyboard) {
    column.appendChild(el('div', { class: 'inline-keyboard' }, [el('div', { class: 'kb-row' }, [
      el('button', { type: 'button', text: `Pay ⭐ ${message.invoice.total_amount}`, onclick: () => pay({ message_id: message.message_id }) }),
    ])]));
  }
  const keyboard = inlineKeyboard(message);
  if (keyboard) column.appendChild(keyboard);
  row.appendChild(column);
  return row;
}

function serviceNode(message) {
  const paid = message.successful_payment;
  if (paid && paid.is_recurring) {
    // A subscription period: offer Telegram's next renewal now instead of in 30 days.
    return el('div', { class: 'service' }, [
      el('span', { text: `You paid ${paid.total_amount} ⭐ (subscription until ${new Date(paid.subscription_expiration_date).toLocaleDateString()}) ` }),
      el('button', { type: 'button', text: '↻ Renew now', onclick: () => renew(paid.telegram_payment_charge_id) }),
      el('button', { type: 'button', text: '✖ Cancel in Telegram', onclick: () => changeSubscription(paid.telegram_payment_charge_id, 'canceled') }),
      el('button', { type: 'button', text: '✔ Re-enable', onclick: () => changeSubscription(paid.telegram_payment_charge_id, 'active') }),
      el('button', { type: 'button', text: '⚠ Renewal fails', onclick: () => changeSubscription(paid.telegram_payment_charge_id, 'failed') }),
    ]);
  }
  if (paid) return el('div', { class: 'service', text: `You paid ${paid.total_amount} ⭐` });
  if (message.refunded_payment) return el('div', { class: 'service', text: `Refunded ${message.refunded_payment.total_amount} ⭐` });
  if (message.web_app_data) return el('div', { class: 'service', text: `Data sent to the bot: ${message.web_app_data}` });
  return null;
}

// The rows on screen by message: a new transcript (an edit, a chat action, a new message) keeps the rows of unchanged
// messages, so their pictures do not reload and what the user is looking at or pressing stays in the page.
let shownRows = new Map();

function render(transcript) {
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const rows = new Map();
  const added = [];
  const row = (key, content, build) => {
    const signature = JSON.stringify(content);
    const shown = shownRows.get(key);
    const node = shown && shown.signature === signature ? shown.node : build();
    if (node && node !== shown?.node) added.push(node);
    rows.set(key, { signature, node });
    return node;
  };
  const messages = transcript.messages;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (message.media_group_id && !message.deleted) {
      const items = [message];
      while (i + 1 < messages.length && messages[i + 1].media_group_id === message.media_group_id) items.push(messages[++i]);
      row(`album:${message.message_id}`, items, () => messageNode(message, items));
      continue;
    }
    row(`message:${message.message_id}`, message, () => serviceNode(message) ?? messageNode(message, null));
  }
  shownRows = rows;
  list.replaceChildren(...[...rows.values()].map((shown) => shown.node));
  if (atBottom) {
    list.scrollTop = list.scrollHeight;
    // Pictures and videos finish loading after this and grow the list: keep following the newest message.
    for (const node of added) {
      for (const media of node.querySelectorAll('img, video')) {
        media.addEventListener(media.tagName === 'IMG' ? 'load' : 'loadedmetadata', () => { list.scrollTop = list.scrollHeight; }, { once: true });
      }
    }
  }

  $('user-stars').textContent = `⭐ ${transcript.user.stars}`;
  $('user-blocked').checked = transcript.user.blocked_bot;
  $('bot-status').textContent = transcript.chat_action ? `${transcript.chat_action.replace(/([A-Z])/g, ' $1').trim().toLowerCase()}…` : 'bot';
  $('bot-status').className = 'status' + (transcript.chat_action ? ' typing' : '');

  const keyboard = $('reply-keyboard');
  keyboard.replaceChildren();
  keyboard.hidden = !transcript.reply_keyboard;
  for (const row of transcript.reply_keyboard || []) {
    keyboard.appendChild(el('div', { class: 'kb-row' }, row.map((button) => el('button', {
      type: 'button',
      text: button.text,
      onclick: () => (button.web_app_url ? openWebApp(button.web_app_url, button.text) : sendText(button.text)),
    }))));
  }

  const menu = transcript.menu_button;
  $('menu-button').textContent = menu.type === 'web_app' ? menu.text : '☰ Menu';
  for (const answer of transcript.callback_answers) {
    if (state.seenAnswers.has(answer.callback_query_id)) continue;
    state.seenAnswers.add(answer.callback_query_id);
    if (answer.text) (answer.show_alert ? window.alert(answer.text) : toast(answer.text));
    if (answer.url) window.open(answer.url, '_blank', 'noopener');
  }
}

async function sendText(text) {
  if (!text.trim()) return;
  await run(() => api('POST', `/api/chats/${userId()}/messages`, { text }));
}

async function sendFiles(files) {
  // "as file" is Telegram's "Send as file": everything goes as a document, uncompressed.
  const asFile = $('as-file').checked;
  const images = asFile ? [] : files.filter((f) => f.type.startsWith('image/'));
  const others = files.filter((f) => !images.includes(f));
  const caption = $('text').value;
  if (images.length) {
    const form = new FormData();
    images.slice(0, 10).forEach((file) => form.append('photo', file, file.name));
    if (caption) form.append('caption', caption);
    if (await run(() => api('POST', `/api/chats/${userId()}/photos`, form))) $('text').value = '';
  }
  for (const file of others) {
    // Videos go as Telegram video messages (as a phone sends them), anything else as a document.
    const asVideo = !asFile && file.type.startsWith('video/');
    const form = new FormData();
    form.append(asVideo ? 'video' : 'document', file, file.name);
    await run(() => api('POST', `/api/chats/${userId()}/${asVideo ? 'videos' : 'documents'}`, form));
  }
}

async function openWebApp(url, title) {
  const launch = await run(() => api('GET', `/api/webapp/launch?userId=${userId()}&url=${encodeURIComponent(url)}`));
  if (!launch) return;
  state.webAppButtonText = title || 'Mini App';
  $('webapp-title').textContent = state.webAppButtonText;
  $('webapp-frame').src = launch.url;
  $('webapp-newtab').href = launch.url;
  $('webapp').hidden = false;
}

function closeWebApp() {
  $('webapp').hidden = true;
  $('webapp-frame').src = 'about:blank';
}

// The Mini App talks to its host the way Telegram Web does: JSON {eventType, eventData} via postMessage.
window.addEventListener('message', async (event) => {
  if (event.source !== $('webapp-frame').contentWindow) return;
  let message;
  try { message = typeof event.data === 'string' ? JSON.parse(event.data) : event.data; } catch { return; }
  const data = message && message.eventData ? message.eventData : {};
  switch (message && message.eventType) {
    case 'web_app_data_send':
      await run(() => api('POST', `/api/chats/${userId()}/web-app-data`, { data: String(data.data || ''), button_text: state.webAppButtonText }));
      closeWebApp();
      break;
    case 'web_app_open_invoice': {
      const outcome = await pay({ invoice_link: `${location.origin}/invoice/${data.slug}` });
      const status = outcome && outcome.status === 'paid' ? 'paid' : 'failed';
      event.source.postMessage(JSON.stringify({ eventType: 'invoice_closed', eventData: { slug: data.slug, status } }), '*');
      break;
    }
    case 'web_app_open_link':
      if (/^https?:/.test(data.url || '')) window.open(data.url, '_blank', 'noopener');
      break;
    case 'web_app_close':
      closeWebApp();
      break;
    default:
      break;
  }
});

async function poll(loopId) {
  while (loopId === state.loopId) {
    try {
      const transcript = await api('GET', `/api/chats/${userId()}/transcript?after=${state.version}&timeout=25`);
      if (loopId !== state.loopId) return;
      state.version = transcript.version;
      state.transcript = transcript;
      render(transcript);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function switchUser() {
  await run(() => api('POST', '/api/users', { id: userId(), first_name: $('user-name').value || 'User', language_code: $('user-lang').value }));
  localStorage.setItem('playground-user', JSON.stringify({ id: userId(), name: $('user-name').value, lang: $('user-lang').value }));
  state.version = 0;
  state.loopId++;
  poll(state.loopId);
}

function setUp() {
  const saved = JSON.parse(localStorage.getItem('playground-user') || 'null');
  if (saved) { $('user-id').value = saved.id; $('user-name').value = saved.name; $('user-lang').value = saved.lang; }
  ['user-id', 'user-name', 'user-lang'].forEach((id) => $(id).addEventListener('change', switchUser));

  const text = $('text');
  const submit = () => { const value = text.value; text.value = ''; sendText(value); };
  $('send').addEventListener('click', submit);
  text.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); submit(); } });
  $('attach').addEventListener('click', () => $('file-input').click());
  $('file-input').addEventListener('change', async (e) => { await sendFiles([...e.target.files]); e.target.value = ''; });
  $('webapp-close').addEventListener('click', closeWebApp);

  $('menu-button').addEventListener('click', () => {
    const menu = state.transcript && state.transcript.menu_button;
    if (menu && menu.type === 'web_app') { openWebApp(menu.url, menu.text); return; }
    const list = $('commands');
    list.replaceChildren(...(state.transcript ? state.transcript.commands : []).map((c) =>
      el('div', { onclick: () => { list.hidden = true; sendText('/' + c.command); } }, [el('b', { text: '/' + c.command }), el('span', { text: c.description })])));
    list.hidden = !list.hidden || list.childElementCount === 0;
  });

  $('faults-toggle').addEventListener('click', async () => {
    $('faults').hidden = !$('faults').hidden;
    const faults = await run(() => api('GET', '/api/faults'));
    if (faults) $('fault-info').textContent = `429s so far: ${faults.flood_rejections}`;
  });
  $('fault-apply').addEventListener('click', async () => {
    await run(() => api('PUT', '/api/faults', {
      flood_count: Number($('fault-flood').value), retry_after_seconds: Number($('fault-retry').value),
      delay_milliseconds: Number($('fault-delay').value), duplicate_deliveries: $('fault-dup').checked,
    }));
    await run(() => api('POST', `/api/users/${userId()}/blocked`, { blocked: $('user-blocked').checked }));
    toast('Faults applied');
  });

  run(async () => {
    const bot = await api('GET', '/api/bot');
    $('bot-name').textContent = bot.first_name;
    document.title = `${bot.first_name} · playground`;
  });
  switchUser();
}

setUp();
