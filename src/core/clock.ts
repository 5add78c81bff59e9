/** The one clock idiom: anything time-dependent takes a `Clock` (tests pin it). */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
