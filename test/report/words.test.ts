import { describe, expect, it } from 'vitest';
import { plural, sentence, shortSha } from '../../src/report/words.js';

describe('words', () => {
  it('says one problem and two problems', () => {
    expect(plural(1, 'problem')).toBe('1 problem');
    expect(plural(2, 'problem')).toBe('2 problems');
    expect(plural(0, 'user')).toBe('0 users');
  });

  it('groups thousands', () => {
    expect(plural(300_000, 'user')).toBe('300,000 users');
  });

  it('shortens a full commit id to 7 characters and leaves a ref alone', () => {
    expect(shortSha('40c2996a1b2c3d4e5f60718293a4b5c6d7e8f901')).toBe('40c2996');
    expect(shortSha('main')).toBe('main');
  });

  it('ends a sentence once', () => {
    expect(sentence('Nothing was sent')).toBe('Nothing was sent.');
    expect(sentence('Nothing was sent.')).toBe('Nothing was sent.');
  });
});
