import { describe, expect, it } from 'vitest';
import { progressValue } from './progress-value.js';

describe('progressValue', () => {
  it('is bytes done of bytes total while running, never past the end', () => {
    expect(progressValue(50, 200, false)).toEqual({ max: 200, value: 50 });
    expect(progressValue(300, 200, false)).toEqual({ max: 200, value: 200 });
    expect(progressValue(0, 0, false)).toEqual({ max: 1, value: 0 });
  });
  it('is full once done, an empty file included', () => {
    expect(progressValue(0, 0, true)).toEqual({ max: 1, value: 1 });
    expect(progressValue(200, 200, true)).toEqual({ max: 200, value: 200 });
  });
});
