import { describe, expect, it } from 'vitest';
import {
  liveTrafficSettings,
  Random,
  type ReferenceLimits,
  referenceEditRules,
  SimulatorError,
  silentEditRules,
} from '../src/index';
import { formatCents, multiplyMoney, parseCents } from '../src/money';

describe('live traffic settings', () => {
  it('fill in the defaults: 60 orders a minute, seed 1, settling after 13 s, edits every 50 and 100 orders', () => {
    const settings = liveTrafficSettings({});
    expect(settings).toMatchObject({
      intervalMs: 1000,
      seed: 1,
      settleAfter: 13_000,
      silentEditEvery: 50,
      referenceEditEvery: 100,
    });
    expect(settings.clock()).toBeInstanceOf(Date);
    expect(settings.onEvent({ type: 'error', error: new Error('ignored') })).toBeUndefined();
  });

  it('keep what is given', () => {
    const clock = () => new Date('2024-11-04T09:15:00Z');
    const settings = liveTrafficSettings({
      ordersPerMinute: 600_000,
      seed: 0xffff_ffff,
      settleAfter: 0,
      silentEditEvery: 0,
      referenceEditEvery: 3,
      clock,
    });
    expect(settings).toMatchObject({
      intervalMs: 0.1,
      seed: 0xffff_ffff,
      settleAfter: 0,
      silentEditEvery: 0,
      referenceEditEvery: 3,
      clock,
    });
  });

  it.each([
    [{ ordersPerMinute: 0 }, /^ordersPerMinute must be above 0 and at most 600000; got 0$/],
    [{ ordersPerMinute: 600_001 }, /ordersPerMinute .* got 600001$/],
    [{ ordersPerMinute: Number.NaN }, /ordersPerMinute .* got NaN$/],
    [{ seed: -1 }, /^seed must be a whole number from 0 to 4294967295; got -1$/],
    [{ seed: 1.5 }, /^seed .* got 1.5$/],
    [{ seed: 2 ** 32 }, /^seed .* got 4294967296$/],
    [{ settleAfter: -1 }, /^settleAfter must be a number of milliseconds, 0 or more; got -1$/],
    [{ settleAfter: Number.POSITIVE_INFINITY }, /^settleAfter .* got Infinity$/],
    [
      { silentEditEvery: 2.5 },
      /^silentEditEvery must be a whole number of orders, 0 \(never\) or more; got 2.5$/,
    ],
    [{ referenceEditEvery: -3 }, /^referenceEditEvery .* got -3$/],
  ])('refuse %o, saying what is wrong', (options, message) => {
    expect(() => liveTrafficSettings(options)).toThrow(SimulatorError);
    expect(() => liveTrafficSettings(options)).toThrow(message);
  });
});

describe('money', () => {
  it('is formatted from whole cents with two places', () => {
    expect(formatCents(12_345)).toBe('123.45');
    expect(formatCents(1_205)).toBe('12.05');
    expect(formatCents(0)).toBe('0.00');
  });

  it('is read into whole cents from at most two places', () => {
    expect(parseCents('2.5')).toBe(250);
    expect(parseCents('2.05')).toBe(205);
    expect(parseCents('17')).toBe(1_700);
  });

  it.each(['-1.00', '1.234', '', '1,00', 'abc'])('refuses %j', (amount) => {
    expect(() => parseCents(amount)).toThrow(RangeError);
    expect(() => parseCents(amount)).toThrow(JSON.stringify(amount));
  });

  it('is multiplied exactly', () => {
    expect(multiplyMoney(3, '0.10')).toBe('0.30');
    expect(multiplyMoney(7, '19.99')).toBe('139.93');
  });
});

describe('the edit rules', () => {
  const limits: ReferenceLimits = { address: 30, counterparty: 20, currency: 3, staff: 20, design: 100 };

  it('move a purchase order to another existing address', () => {
    const rule = silentEditRules.purchase_order;
    for (let seed = 0; seed < 50; seed++) {
      const row = { agreed_delivery_location_id: (seed % 30) + 1 } as Parameters<typeof rule.change>[0];
      const moved = rule.change(row, Random.of(seed, 'edit'), limits);
      expect(moved).not.toBe(row.agreed_delivery_location_id);
      expect(moved).toBeGreaterThanOrEqual(1);
      expect(moved).toBeLessThanOrEqual(30);
    }
  });

  it('cannot move a delivery when there is only one address', () => {
    const row = { agreed_delivery_location_id: 1 } as Parameters<
      typeof silentEditRules.purchase_order.change
    >[0];
    expect(() => silentEditRules.purchase_order.change(row, Random.of(1), { ...limits, address: 1 })).toThrow(
      'moving a delivery needs at least two addresses',
    );
  });

  it('give a design another file location, or any one when its own is not a known one', () => {
    const rule = silentEditRules.design;
    const known = { file_location: '/usr' } as Parameters<typeof rule.change>[0];
    const unknown = { file_location: '/nowhere/known' } as Parameters<typeof rule.change>[0];
    expect(rule.change(known, Random.of(3))).not.toBe('/usr');
    expect(rule.change(unknown, Random.of(3))).toMatch(/^\//);
  });

  it('change a reference row to a value that differs from its current one', () => {
    const random = Random.of(11, 'reference');
    const staff = { first_name: 'Ada', last_name: 'Lovelace', email_address: 'x' } as Parameters<
      typeof referenceEditRules.staff.change
    >[0];
    expect(referenceEditRules.staff.change(staff, random)).not.toBe('x');
    const department = { manager: 'Nobody' } as Parameters<typeof referenceEditRules.department.change>[0];
    expect(referenceEditRules.department.change(department, random)).not.toBe('Nobody');
  });
});
