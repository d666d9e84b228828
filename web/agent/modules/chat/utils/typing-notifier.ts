/**
 * The agent's typing indicator as the other side sees it: "on" at the first keystroke, renewed
 * while the agent keeps typing (the customer's view fades an indicator nobody renews after
 * TYPING_FADE_MS), "off" after a pause, on sending, on an emptied box, or when the agent leaves
 * the chat. Timers and clock are passed in, so the rule is tested without waiting.
 */
export interface TypingClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const TYPING_IDLE_MS = 2500;
/** Well inside the other side's fade (8 s), so a steady typist's indicator never flickers off. */
export const TYPING_RENEW_MS = 4000;

const realClock: TypingClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class TypingNotifier {
  private on = false;
  private lastOnAt = 0;
  private idle: unknown = null;

  constructor(
    private readonly send: (on: boolean) => void,
    private readonly clock: TypingClock = realClock,
    private readonly idleMs = TYPING_IDLE_MS,
    private readonly renewMs = TYPING_RENEW_MS,
  ) {}

  /** The composer's text changed to `text`. */
  input(text: string): void {
    if (text.trim() === '') return this.stop();
    const now = this.clock.now();
    if (!this.on || now - this.lastOnAt >= this.renewMs) {
      this.on = true;
      this.lastOnAt = now;
      this.send(true);
    }
    if (this.idle !== null) this.clock.clearTimeout(this.idle);
    this.idle = this.clock.setTimeout(() => {
      this.idle = null;
      this.stop();
    }, this.idleMs);
  }

  /** Sent, emptied, blurred or left: typing off (once). */
  stop(): void {
    if (this.idle !== null) this.clock.clearTimeout(this.idle);
    this.idle = null;
    if (!this.on) return;
    this.on = false;
    this.send(false);
  }
}
