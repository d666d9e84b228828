/** Checks of the start-chat form, before anything is sent. Returns the dictionary key of the first problem, or null. */
export type StartProblem = 'chat.start.nameRequired' | 'chat.start.phoneInvalid';

export function validateStart(input: { name: string; phone: string }, signedIn: boolean): StartProblem | null {
  if (input.name.trim() === '') return 'chat.start.nameRequired';
  const phone = input.phone.replace(/[\s-]/g, '');
  if (signedIn && phone === '') return null;
  // Mainland mobiles (11 digits from 1) and landlines/international with + and 6–20 digits.
  if (!/^\+?\d{6,20}$/.test(phone)) return 'chat.start.phoneInvalid';
  return null;
}
