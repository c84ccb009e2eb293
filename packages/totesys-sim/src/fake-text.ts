import type { Random } from './random';
import { wordLists } from './word-lists';

const letters = 'abcdefghijklmnopqrstuvwxyz';
const codeChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomString(random: Random, alphabet: string, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[random.int(0, alphabet.length - 1)];
  return text;
}

function personName(random: Random): string {
  return `${random.pick(wordLists.firstNames)} ${random.pick(wordLists.lastNames)}`;
}

/**
 * Made-up text values in the faker-like styles of the real totesys.
 *
 * Each is drawn from a {@link Random}, so that a seed reproduces them.
 */
export const fakeText = Object.freeze({
  /** `First Last`. */
  personName,

  /** A contact, sometimes with a title: `Mrs. Lucy Runolfsdottir`. */
  contactName(random: Random): string {
    const name = personName(random);
    return random.chance(0.3) ? `${random.pick(wordLists.titles)} ${name}` : name;
  },

  /** `Fahey and Sons`, `Leannon, Predovic and Morar`, `Kuvalis - Rippin`. */
  companyName(random: Random): string {
    const a = random.pick(wordLists.lastNames);
    switch (random.int(0, 3)) {
      case 0:
        return `${a}, ${random.pick(wordLists.lastNames)} and ${random.pick(wordLists.lastNames)}`;
      case 1:
        return `${a} - ${random.pick(wordLists.lastNames)}`;
      default:
        return `${a} ${random.pick(wordLists.companySuffixes)}`;
    }
  },

  /** `6826 Herzog Via`. */
  streetLine(random: Random): string {
    return `${random.int(1, 9999)} ${random.pick(wordLists.lastNames)} ${random.pick(wordLists.streetSuffixes)}`;
  },

  /** `Moen Haven`: the second address line, when there is one. */
  localityLine(random: Random): string {
    return `${random.pick(wordLists.lastNames)} ${random.pick(wordLists.streetSuffixes)}`;
  },

  /** `New Patienceburgh`. */
  city(random: Random): string {
    const stem = random.pick(wordLists.lastNames);
    return random.chance(0.4)
      ? `${random.pick(wordLists.cityPrefixes)} ${stem}${random.pick(wordLists.citySuffixes)}`
      : `${stem}${random.pick(wordLists.citySuffixes)}`;
  },

  /** `28441` or `99305-7380`. */
  postalCode(random: Random): string {
    const code = String(random.int(10000, 99999));
    return random.chance(0.3) ? `${code}-${random.int(1000, 9999)}` : code;
  },

  /** `1803 637401`. */
  phoneNumber(random: Random): string {
    return `${random.int(1000, 9999)} ${random.int(100000, 999999)}`;
  },

  /** `jeremie.franey@terrifictotes.com`; `suffix` tells apart a changed address. */
  staffEmail(firstName: string, lastName: string, suffix = ''): string {
    return `${firstName}.${lastName}${suffix}@${wordLists.emailDomain}`.toLowerCase();
  },

  /** `wooden-20220717-npgz.json` for a design called `Wooden` made on 2022-07-17. */
  designFileName(random: Random, designName: string, date: string): string {
    return `${designName.toLowerCase()}-${date.replaceAll('-', '')}-${randomString(random, letters, 4)}.json`;
  },

  /** A purchase order's item code: `ZDOI5EA`. */
  itemCode(random: Random): string {
    return randomString(random, codeChars, 7);
  },
});
