import { describe, expect, it } from 'vitest';
import type { Service } from '../api/types';
import { currentErrors, emptyForm, fromService, inputKeys, memoryText, toBody } from './serviceForm';
import { placeErrors } from './fieldErrors';

describe('toBody', () => {
  it('builds the API body from what was typed', () => {
    const form = emptyForm();
    form.name = ' shop ';
    form.domains = 'shop.example.test\n www.shop.example.test \n\n';
    form.agentIds = ['a1'];
    form.targets = [
      { host: '127.0.0.1', port: '9001', weight: '2' },
      { host: '', port: '', weight: '1' },
    ];
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
    form.targets = [
      { host: 'a', port: '80', weight: '1' },
      { host: 'b', port: 'eighty', weight: '' },
    ];
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
    form.containers = {
      image: 'fleetgate/demo:latest',
      command: '["/bin/httpd","-f","-p","127.0.0.1:${PORT}"]',
      env: 'A=1\nB=x=y',
      port: '',
      replicas: '3',
      cpus: '0.5',
      memory: '256M',
      restartPolicy: 'always',
    };
    const { body, errors } = toBody(form);
    expect(errors).toEqual([]);
    expect(body!.containers).toEqual({
      image: 'fleetgate/demo:latest',
      command: ['/bin/httpd', '-f', '-p', '127.0.0.1:${PORT}'],
      env: { A: '1', B: 'x=y' },
      replicas: 3,
      cpus: 0.5,
      memory: '256m',
      restartPolicy: 'always',
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
      id: 's',
      name: 'shop',
      revision: 2,
      domains: ['a.test', 'b.test'],
      agentIds: ['x'],
      upstream: {
        targets: [{ host: '::1', port: 81, weight: 1 }],
        lbMethod: 'least_conn',
        healthCheck: { path: '/h', intervalSeconds: 9, fall: 1, rise: 1, timeoutSeconds: 1 },
      },
      timeouts: { connectSeconds: 1, readSeconds: 2, sendSeconds: 3 },
      maxBodySize: '0',
      websockets: true,
      requestHeaders: { A: 'b' },
      responseHeaders: {},
      containers: null,
    };
    const form = fromService(s);
    expect(form.domains).toBe('a.test\nb.test');
    expect(form.healthEnabled).toBe(true);
    const { body } = toBody(form);
    expect(body).toMatchObject({
      name: 'shop',
      domains: ['a.test', 'b.test'],
      agentIds: ['x'],
      websockets: true,
      maxBodySize: '0',
      upstream: {
        targets: [{ host: '::1', port: 81, weight: 1 }],
        lbMethod: 'least_conn',
        healthCheck: { path: '/h', intervalSeconds: 9 },
      },
      timeouts: { connectSeconds: 1, readSeconds: 2, sendSeconds: 3 },
      requestHeaders: { A: 'b' },
    });
  });

  it('lists an input key per target field', () => {
    const keys = inputKeys({
      ...emptyForm(),
      targets: [
        { host: '', port: '', weight: '' },
        { host: '', port: '', weight: '' },
      ],
    });
    expect(keys).toContain('upstream.targets[1].port');
    expect(keys).not.toContain('upstream.targets[2].port');
  });
});

describe('domains', () => {
  it('takes one domain per line: a line with spaces is one error, not three domains', () => {
    const form = {
      ...emptyForm(),
      name: 'x',
      domains: 'a.test\nnot a domain\n\nb.test,c.test\n*.ok.test\nbücher.test.',
    };
    form.targets = [{ host: '127.0.0.1', port: '80', weight: '1' }];
    const { body, errors } = toBody(form);
    expect(body).toBeUndefined();
    expect(errors).toEqual([
      { field: 'domains[1]', message: '"not a domain" is not a domain name (one domain per line)' },
      { field: 'domains[2]', message: '"b.test,c.test" is not a domain name (one domain per line)' },
    ]);
    expect(placeErrors(errors, inputKeys(form)).domains).toEqual([
      'entry 2: "not a domain" is not a domain name (one domain per line)',
      'entry 3: "b.test,c.test" is not a domain name (one domain per line)',
    ]);
  });
});

describe('container limits', () => {
  it('refuses limits that are not numbers, and reads stored bytes back as units', () => {
    const form = { ...emptyForm(), name: 'x', domains: 'x.test', targets: [], containersEnabled: true };
    form.containers = { ...form.containers, image: 'img', cpus: 'half', memory: '256 MB' };
    expect(toBody(form).errors).toEqual([
      { field: 'containers.cpus', message: 'must be a number like 0.5 or 2' },
      { field: 'containers.memory', message: 'must be like 256m or 1g' },
    ]);
    expect(memoryText(268435456)).toBe('256m');
    expect(memoryText(1073741824)).toBe('1g');
    expect(memoryText(1000)).toBe('1000');
    expect(memoryText(null)).toBe('');
  });
});

describe('currentErrors', () => {
  it('keeps every error until its input changes, then shows what is still wrong there', () => {
    const submitted = {
      ...emptyForm(),
      domains: 'not a domain',
      targets: [{ host: '127.0.0.1', port: 'x', weight: '1' }],
    };
    const errors = placeErrors(toBody(submitted).errors, inputKeys(submitted));
    expect(Object.keys(errors).sort()).toEqual(['domains', 'name', 'upstream.targets[0].port']);
    expect(currentErrors(errors, submitted, submitted)).toBe(errors);

    const nameFixed = { ...submitted, name: 'shop' };
    expect(Object.keys(currentErrors(errors, submitted, nameFixed)).sort()).toEqual([
      'domains',
      'upstream.targets[0].port',
    ]);

    const domainStillWrong = { ...nameFixed, domains: 'a.test\nstill wrong' };
    expect(currentErrors(errors, submitted, domainStillWrong).domains).toEqual([
      'entry 2: "still wrong" is not a domain name (one domain per line)',
    ]);

    const portFixed = { ...domainStillWrong, targets: [{ host: '127.0.0.1', port: '80', weight: '1' }] };
    expect(Object.keys(currentErrors(errors, submitted, portFixed))).toEqual(['domains']);
  });

  it('keeps an error from the core on an input left as it was', () => {
    const submitted = { ...emptyForm(), name: 'taken', domains: 'a.test' };
    const errors = { name: ['is taken'] };
    expect(currentErrors(errors, submitted, { ...submitted, domains: 'b.test' })).toEqual({ name: ['is taken'] });
    expect(currentErrors(errors, submitted, { ...submitted, name: 'free' })).toEqual({});
  });
});
