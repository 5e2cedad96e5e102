import { javaMajor } from '../../../infra/stack/prerequisites';

describe('javaMajor', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_382"', 8],
    ['something else entirely', undefined],
  ])('reads %s as %s', (output, major) => {
    expect(javaMajor(output)).toBe(major);
  });
});
