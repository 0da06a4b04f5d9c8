import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy*/waitFor give up after 1 s by default: too short when the 2-core machine is busy (a test
// that renders a lazy page then flakes). Slow is fine; a wrong screen still fails.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});

// jsdom lacks these; uPlot and the layout use them.
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoResizeObserver as unknown as typeof ResizeObserver;
window.matchMedia ??= ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addListener() {},
  removeListener() {},
  addEventListener() {},
  removeEventListener() {},
  dispatchEvent: () => false,
})) as unknown as typeof window.matchMedia;

// jsdom has no canvas: uPlot draws into a context that accepts every call and measures text as 0 wide.
const noop = () => undefined;
const context = new Proxy({} as Record<string, unknown>, {
  get: (target, key) => (key in target ? target[key as string] : key === 'measureText' ? () => ({ width: 0 }) : noop),
  set: (target, key, value) => {
    target[key as string] = value;
    return true;
  },
});
HTMLCanvasElement.prototype.getContext = (() => context) as unknown as typeof HTMLCanvasElement.prototype.getContext;
globalThis.Path2D ??= class {
  moveTo() {}
  lineTo() {}
  rect() {}
  arc() {}
  closePath() {}
  addPath() {}
  bezierCurveTo() {}
} as unknown as typeof Path2D;
