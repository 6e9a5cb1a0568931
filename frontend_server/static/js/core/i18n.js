// The lab's languages: one message catalogue per language in static/i18n/, chosen from the
// URL (?lang=), then the learner's last choice (localStorage), then navigator.languages.
// Messages may hold {name} placeholders and `code` spans; nothing is ever parsed as HTML.

import { getJson } from './api.js';

const LANGUAGES = { en: 'English', 'zh-CN': '简体中文' };
const STORAGE_KEY = 'cors-lab-lang';
let messages = {};
let defaults = {};
export let language = 'en';

// localStorage throws in a third-party frame where third-party cookies are blocked: then the
// choice is not remembered, and the URL still carries it.
function withStorage(use) {
  try {
    return use(localStorage);
  } catch {
    return null;
  }
}

function chooseLanguage() {
  const asked =
    new URLSearchParams(window.location.search).get('lang') ?? withStorage((storage) => storage.getItem(STORAGE_KEY));
  if (Object.hasOwn(LANGUAGES, asked ?? '')) return asked;
  return navigator.languages.some((tag) => tag.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

// Placeholders every message may use, such as the lab's configured hosts.
export function setDefaultParams(params) {
  defaults = params;
}

export function t(key, ownParams = {}) {
  const params = { ...defaults, ...ownParams };
  const template = messages[key];
  if (template === undefined) {
    console.error(`Missing message "${key}" in ${language}`);
    return key;
  }
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

// A message as nodes: `backticked` parts become <code> elements.
export function rich(key, params = {}) {
  return t(key, params)
    .split('`')
    .map((part, index) => {
      if (index % 2 === 0) return document.createTextNode(part);
      const code = document.createElement('code');
      code.textContent = part;
      return code;
    });
}

function translateDocument() {
  document.documentElement.lang = language;
  for (const node of document.querySelectorAll('[data-i18n]')) node.replaceChildren(...rich(node.dataset.i18n));
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(node.dataset.i18nLabel));
}

function mountSwitcher() {
  const nav = document.querySelector('.site-nav');
  if (!nav) return;
  const select = document.createElement('select');
  select.id = 'language';
  select.setAttribute('aria-label', 'Language / 语言');
  for (const [tag, name] of Object.entries(LANGUAGES)) select.append(new Option(name, tag, false, tag === language));
  const apply = () => {
    if (select.value === language) return;
    withStorage((storage) => storage.setItem(STORAGE_KEY, select.value));
    const url = new URL(window.location.href);
    url.searchParams.set('lang', select.value);
    window.location.replace(url);
  };
  // A closed select changes its value on an arrow key: browsing the options with the keyboard
  // must not reload the page (and lose every result on it); Enter or leaving the select applies.
  let browsing = false;
  select.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') apply();
    else if (event.key.startsWith('Arrow')) browsing = true;
  });
  select.addEventListener('change', () => browsing || apply());
  select.addEventListener('blur', apply);
  nav.append(select);
}

export async function initI18n() {
  language = chooseLanguage();
  // The catalogues are static files: the browser's cache may keep them.
  messages = await getJson(`/static/i18n/${language}.json`, {});
  translateDocument();
  mountSwitcher();
}
