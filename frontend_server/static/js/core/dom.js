// Builds DOM nodes from text only: values from the wire are attacker-controlled and must
// never become markup, so nothing here touches innerHTML.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined));
  return node;
}

export function replaceChildren(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined));
  return node;
}

// The data of the next message from `origin` that `accept(event)` takes; rejects with
// `timeoutError` after `timeoutMs` (none: waits for ever).
export function nextMessage(origin, accept, timeoutMs = 0, timeoutError = null) {
  return new Promise((resolve, reject) => {
    const timer = timeoutMs && setTimeout(() => finish(() => reject(timeoutError)), timeoutMs);
    const finish = (settle) => {
      window.removeEventListener('message', listen);
      clearTimeout(timer);
      settle();
    };
    function listen(event) {
      if (event.origin === origin && accept(event)) finish(() => resolve(event.data));
    }
    window.addEventListener('message', listen);
  });
}
