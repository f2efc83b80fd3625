// Offline stand-in for https://telegram.org/js/telegram-web-app.js: the subset the NanoBanana Mini App uses,
// speaking the same postMessage protocol ({eventType, eventData} as JSON) to the playground chat.
(function () {
  'use strict';
  const launch = new URLSearchParams(window.location.hash.slice(1));
  const initData = launch.get('tgWebAppData') || '';
  const initDataUnsafe = {};
  for (const [key, value] of new URLSearchParams(initData)) {
    if (key === 'user') { try { initDataUnsafe.user = JSON.parse(value); } catch { /* malformed user is left out */ } }
    else if (key === 'auth_date') initDataUnsafe.auth_date = Number(value);
    else initDataUnsafe[key] = value;
  }
  let themeParams = {};
  try { themeParams = JSON.parse(launch.get('tgWebAppThemeParams') || '{}'); } catch { /* default theme */ }

  const handlers = {};
  const invoiceCallbacks = {};
  const post = (eventType, eventData) => window.parent.postMessage(JSON.stringify({ eventType, eventData: eventData || {} }), '*');
  const emit = (name, arg) => (handlers[name] || []).forEach((fn) => fn(arg));

  window.addEventListener('message', (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    if (message.eventType === 'invoice_closed') {
      const { slug, status } = message.eventData;
      const callback = invoiceCallbacks[slug];
      delete invoiceCallbacks[slug];
      if (callback) callback(status);
      emit('invoiceClosed', { url: slug, status });
    }
  });

  function button(kind) {
    const clicks = [];
    const api = {
      text: kind === 'main' ? 'Continue' : '', isVisible: false, isActive: true,
      setText(text) { api.text = String(text); return api; },
      show() { api.isVisible = true; return api; },
      hide() { api.isVisible = false; return api; },
      enable() { api.isActive = true; return api; },
      disable() { api.isActive = false; return api; },
      showProgress() { return api; },
      hideProgress() { return api; },
      setParams(params) { Object.assign(api, params); return api; },
      onClick(fn) { clicks.push(fn); return api; },
      offClick(fn) { const i = clicks.indexOf(fn); if (i >= 0) clicks.splice(i, 1); return api; },
    };
    return api;
  }

  window.Telegram = {
    WebApp: {
      initData,
      initDataUnsafe,
      version: launch.get('tgWebAppVersion') || '8.0',
      platform: launch.get('tgWebAppPlatform') || 'web',
      colorScheme: 'light',
      themeParams,
      isExpanded: true,
      MainButton: button('main'),
      BackButton: button('back'),
      HapticFeedback: { impactOccurred() {}, notificationOccurred() {}, selectionChanged() {} },
      ready() { post('web_app_ready'); },
      expand() { post('web_app_expand'); },
      close() { post('web_app_close'); },
      sendData(data) { post('web_app_data_send', { data: String(data) }); },
      openLink(url) { post('web_app_open_link', { url: String(url) }); },
      openInvoice(url, callback) {
        const slug = String(url).split('/').pop();
        if (callback) invoiceCallbacks[slug] = callback;
        post('web_app_open_invoice', { slug });
      },
      onEvent(name, fn) { (handlers[name] = handlers[name] || []).push(fn); },
      offEvent(name, fn) { const list = handlers[name] || []; const i = list.indexOf(fn); if (i >= 0) list.splice(i, 1); },
    },
  };
})();
