import { describe, expect, it } from 'vitest';
import type { Service } from '../api/types';
import { emptyForm, fromService, inputKeys, toBody } from './serviceForm';

describe('toBody', () => {
  it('builds the API body from what was typed', () => {
    const form = emptyForm();
    form.name = ' shop ';
    form.domains = 'shop.example.test\n www.shop.example.test, ';
    form.agentIds = ['a1'];
    form.targets = [{ host: '127.0.0.1', port: '9001', weight: '2' }, { host: '', port: '', weight: '1' }];
    form.healthEnabled = true;
    form.requestHeaders = 'X-Env: prod';
    const { body, errors } = toBody(form);
    expect(errors).toEqual([]);
    expect(body).toMatchObject({
      name: 'shop',
      domains: ['shop.example.test', 'www.shop.example.test'],
      agentIds: ['a1'],
      upstream: {
        targets: [{ host: '127.0.0.1', port: 9001, weight: 2 }],
        lbMethod: 'round_robin',
        healthCheck: { path: '/health', intervalSeconds: 5, timeoutSeconds: 2, fall: 3, rise: 2 },
      },
      containers: null,
      timeouts: { connectSeconds: 5, readSeconds: 60, sendSeconds: 60 },
      maxBodySize: '10m',
      requestHeaders: { 'X-Env': 'prod' },
    });
  });

  it('names the inputs it can tell are wrong, by their API paths', () => {
    const form = emptyForm();
    form.targets = [{ host: 'a', port: '80', weight: '1' }, { host: 'b', port: 'eighty', weight: '' }];
    form.requestHeaders = 'no colon here';
    const { body, errors } = toBody(form);
    expect(body).toBeUndefined();
    expect(errors).toEqual([
      { field: 'name', message: 'is required' },
      { field: 'domains', message: 'at least one domain is required' },
      { field: 'upstream.targets[1].port', message: 'must be a whole number' },
      { field: 'requestHeaders', message: '"no colon here" is not "Name: value"' },
    ]);
  });

  it('accepts containers instead of targets', () => {
    const form = emptyForm();
    form.name = 'app';
    form.domains = 'app.test';
    form.targets = [];
    form.containersEnabled = true;
    form.containers = { image: 'fleetgate/demo:latest', command: '["/bin/httpd","-f","-p","127.0.0.1:${PORT}"]', env: 'A=1\nB=x=y', port: '', replicas: '3' };
    const { body, errors } = toBody(form);
    expect(errors).toEqual([]);
    expect(body!.containers).toEqual({
      image: 'fleetgate/demo:latest',
      command: ['/bin/httpd', '-f', '-p', '127.0.0.1:${PORT}'],
      env: { A: '1', B: 'x=y' },
      replicas: 3,
    });
  });

  it('wants a target or containers', () => {
    const form = emptyForm();
    form.name = 'x';
    form.domains = 'x.test';
    form.targets = [];
    expect(toBody(form).errors).toEqual([{ field: 'upstream.targets', message: 'add a target, or run containers' }]);
  });
});

describe('fromService', () => {
  it('round-trips a stored service', () => {
    const s: Service = {
      id: 's', name: 'shop', revision: 2, domains: ['a.test', 'b.test'], agentIds: ['x'],
      upstream: { targets: [{ host: '::1', port: 81, weight: 1 }], lbMethod: 'least_conn', healthCheck: { path: '/h', intervalSeconds: 9, fall: 1, rise: 1, timeoutSeconds: 1 } },
      timeouts: { connectSeconds: 1, readSeconds: 2, sendSeconds: 3 }, maxBodySize: '0', websockets: true,
      requestHeaders: { A: 'b' }, responseHeaders: {}, containers: null,
    };
    const form = fromService(s);
    expect(form.domains).toBe('a.test\nb.test');
    expect(form.healthEnabled).toBe(true);
    const { body } = toBody(form);
    expect(body).toMatchObject({
      name: 'shop', domains: ['a.test', 'b.test'], agentIds: ['x'], websockets: true, maxBodySize: '0',
      upstream: { targets: [{ host: '::1', port: 81, weight: 1 }], lbMethod: 'least_conn', healthCheck: { path: '/h', intervalSeconds: 9 } },
      timeouts: { connectSeconds: 1, readSeconds: 2, sendSeconds: 3 }, requestHeaders: { A: 'b' },
    });
  });

  it('lists an input key per target field', () => {
    const keys = inputKeys({ ...emptyForm(), targets: [{ host: '', port: '', weight: '' }, { host: '', port: '', weight: '' }] });
    expect(keys).toContain('upstream.targets[1].port');
    expect(keys).not.toContain('upstream.targets[2].port');
  });
});
