// The API key form. It opens by itself when the API answers 401 (LocalHost configured with Security:ApiKeys), and from
// the header's Key button. The key goes to sessionStorage through api.js, never into the URL or the page.
import { apiKey, setApiKey, KEY_NEEDED } from './api.js';

/** Wires the form; `onChange` runs after the key was set or forgotten. */
export function setUpKeyForm(onChange) {
  const $ = (id) => document.getElementById(id);
  const form = $('key-form');
  const input = $('key-input');
  const message = $('key-message');
  const button = $('key-button');
  const forget = $('key-forget');

  const show = (text) => {
    message.textContent = text;
    message.hidden = !text;
    forget.hidden = !apiKey();
    form.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    input.focus();
  };
  const hide = () => {
    form.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  };

  button.addEventListener('click', () => {
    if (form.hidden) show(apiKey() ? 'This tab uses an API key. Enter another one, or forget it.' : ''); else hide();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) {
      show('Enter the API key you were given (the X-Api-Key of this service).');
      return;
    }
    input.value = '';
    setApiKey(key);
    hide();
    onChange();
  });
  forget.addEventListener('click', () => {
    input.value = '';
    setApiKey('');
    hide();
    onChange();
  });
  window.addEventListener(KEY_NEEDED, (event) => {
    const text = event.detail?.hadKey
      ? 'The service did not accept this API key. Enter a valid one.'
      : 'This service needs an API key to show its data. Enter yours; it is kept for this tab only.';
    // Every refresh answers 401 again: once the form is open, only its message follows, and the focus stays where it is.
    if (form.hidden) show(text);
    else message.textContent = text;
    message.hidden = false;
  });
}
