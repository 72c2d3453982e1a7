// The sandbox seed's people by first name, for every suite that reads the default seed.
import { SEED_PEOPLE } from '../../sandbox/seed';

export const MAYA = SEED_PEOPLE.maya.email;
export const SAM = SEED_PEOPLE.sam.email;
export const LEE = SEED_PEOPLE.lee.email;
export const PRIYA = SEED_PEOPLE.priya.email;
export const TOM = SEED_PEOPLE.tom.email;
export const ANA = SEED_PEOPLE.ana.email;
export const JONAS = SEED_PEOPLE.jonas.email;
/** The new hire: started last week, no 1:1 yet. */
export const NOOR = SEED_PEOPLE.noor.email;
export const DANA = SEED_PEOPLE.dana.email;
export const ROOM = SEED_PEOPLE.room.email;
export const LEE_ALIAS = SEED_PEOPLE.lee.aliases[0];
