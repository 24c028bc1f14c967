/**
 * The guard's case table (issue 8): households in both scripts and texts in both scripts, each
 * with the outcome it must have and why. Used by guard.table.test.ts.
 */
import { checkPublicText, type HitReason, type PrivateStrings, type PublicContext } from "./guard";

/** A household registered in Arabic (camp in South Lebanon). */
export const ARABIC_HOUSEHOLD: PrivateStrings = {
  names: [
    "فاطمة محمود الحسن",
    "يوسف علي الحسن",
    "هدى علي الحسن",
    "عبد الرحمن علي الحسن",
    "نور علي الحسن",
    "عمر خليل",
    "زينب أبو بكر",
    "أمل بنت سعيد",
    "محمد ابن حسين",
    "أم كلثوم الشامي",
  ],
  phones: ["+961 71 234 567", "03 456 789"],
  idNumbers: ["LB-UNRWA-4451239", "198712345"],
  addresses: ["مخيم عين الحلوة، حي الطوارئ، بناية الزيتون، قرب مسجد النور، صيدا، الجنوب"],
};
export const ARABIC_CONTEXT: PublicContext = { publicPlaces: ["الجنوب", "South Lebanon", "محافظة الجنوب"] };

/** A household registered with Latin names (Syria). */
export const LATIN_HOUSEHOLD: PrivateStrings = {
  names: ["Grace Haddad", "Hope Mansour", "Youssef Khalil", "Abd al-Rahman Said", "Abubakr Salem", "Mohammad Nasser"],
  phones: ["0944 123 456"],
  idNumbers: ["N0099887"],
  addresses: ["Haret el-Sakhr, Jaramana"],
};
export const LATIN_CONTEXT: PublicContext = { publicPlaces: ["ريف دمشق", "Rif Dimashq"] };

/** A household whose names are also ordinary Arabic words. */
export const COMMON_HOUSEHOLD: PrivateStrings = {
  names: ["حسن كريم جميل", "وفاء صابر سالم", "إيمان رحمة", "سعيد عادل"],
  phones: [],
  idNumbers: [],
  addresses: ["حي السلام، شارع الأمين"],
};

export type Household = "ar" | "latin" | "common";
export type Outcome = "block" | "confirm" | "pass";
export type CaseClass =
  | "format_chars"
  | "nfkc"
  | "digit_sets"
  | "separators"
  | "phone_forms"
  | "id_numbers"
  | "number_shaped"
  | "public_numbers"
  | "compounds"
  | "abu_umm_bint_ibn"
  | "romanization"
  | "latin_name_arabic_text"
  | "latin_variants"
  | "prefixes"
  | "common_words"
  | "function_words"
  | "public_places"
  | "address"
  | "ordinary_text";

export interface GuardCase {
  cls: CaseClass;
  household: Household;
  text: string;
  outcome: Outcome;
  /** For block and confirm: the reason of the (first) hit that decides. */
  reason?: HitReason;
  why: string;
}

const ZWJ = "\u200d", ZWNJ = "\u200c", ZWSP = "\u200b", SHY = "\u00ad", LRM = "\u200e", RLM = "\u200f";
const BOM = "\ufeff", ALM = "\u061c", WJ = "\u2060", LRI = "\u2066", PDI = "\u2069", RLO = "\u202e", PDF = "\u202c";

const b = (cls: CaseClass, household: Household, text: string, reason: HitReason, why: string): GuardCase => ({ cls, household, text, outcome: "block", reason, why });
const c = (cls: CaseClass, household: Household, text: string, why: string): GuardCase => ({ cls, household, text, outcome: "confirm", reason: "possible_name", why });
const p = (cls: CaseClass, household: Household, text: string, why: string): GuardCase => ({ cls, household, text, outcome: "pass", why });

export const GUARD_CASES: GuardCase[] = [
  // ---- format characters (Cf) inside names and numbers
  b("format_chars", "ar", `تحتاج فا${ZWJ}طمة إلى عملية`, "name", "ZWJ inside an Arabic name"),
  b("format_chars", "ar", `يو${ZWNJ}سف في الصف الخامس`, "name", "ZWNJ inside an Arabic name"),
  b("format_chars", "ar", `Her son Yous${ZWSP}sef loves maths`, "name", "ZWSP inside a Latin spelling"),
  b("format_chars", "ar", `Her daughter Hu${SHY}da is in grade 3`, "name", "soft hyphen inside a short Latin name"),
  b("format_chars", "ar", `${RLM}زينب${LRM} تحب المدرسة`, "name", "bidi marks around a name"),
  b("format_chars", "ar", `Fat${BOM}ima needs surgery`, "name", "BOM inside a name"),
  b("format_chars", "ar", `زي${ALM}نب تحتاج نظارة`, "name", "Arabic letter mark inside a name"),
  b("format_chars", "ar", `Mo${WJ}hammad is ten`, "name", "word joiner inside a name"),
  b("format_chars", "ar", `call 71${ZWSP}234${ZWJ}567`, "phone", "format characters between phone digits"),
  b("format_chars", "ar", `رقم ${LRI}4451239${PDI}`, "id_number", "isolates around an ID number"),
  b("format_chars", "latin", `${RLO}Jaramana${PDF} district`, "address", "override marks around an address word"),
  b("format_chars", "ar", `عبد${ZWNJ}الرحمن في الصف الثالث`, "name", "ZWNJ joining a compound"),

  // ---- NFKC: fullwidth, presentation forms, mathematical letters
  b("nfkc", "ar", "Ｙｏｕｓｓｅｆ loves football", "name", "fullwidth Latin letters"),
  b("nfkc", "ar", "phone ０７１２３４５６７", "phone", "fullwidth digits"),
  b("nfkc", "ar", "تحتاج ﻓﺎﻃﻤﺔ إلى دواء", "name", "Arabic presentation forms"),
  b("nfkc", "ar", "𝐇𝐮𝐝𝐚 is seven", "name", "mathematical bold letters"),
  b("nfkc", "ar", "𝟕𝟏 𝟐𝟑𝟒 𝟓𝟔𝟕 is her number", "phone", "mathematical digits"),
  b("nfkc", "latin", "ＭＯＨＡＭＭＡＤ needs a wheelchair", "name", "fullwidth capitals of a Latin-recorded name"),
  p("nfkc", "ar", "ﻻ يوجد دخل ثابت للأسرة", "the lam-alef ligature is an ordinary word"),
  b("nfkc", "ar", "ＮＯＵＲ is in grade 2", "name", "fullwidth short name"),

  // ---- digit sets
  b("digit_sets", "ar", "هاتف ٠٧١٢٣٤٥٦٧", "phone", "Arabic-Indic digits"),
  b("digit_sets", "ar", "هاتف ۰۷۱۲۳۴۵۶۷", "phone", "Persian digits"),
  b("digit_sets", "ar", "phone ०७१२३४५६७", "phone", "Devanagari digits"),
  b("digit_sets", "ar", "phone ০৭১২৩৪৫৬৭", "phone", "Bengali digits"),
  b("digit_sets", "ar", "رقم البطاقة ٤٤٥١٢٣٩", "id_number", "ID number in Arabic-Indic digits"),
  b("digit_sets", "ar", "رقم ٠٩٩٣٨٨٧٧٦٦", "number_shaped", "an unknown phone-shaped number in Arabic-Indic digits"),
  b("digit_sets", "ar", "ID ๑๙๘๗๑๒๓๔๕", "id_number", "Thai digits"),
  b("digit_sets", "ar", "٧١ 234 ٥٦٧", "phone", "mixed digit sets in one number"),
  b("digit_sets", "latin", "رقمه ٠٩٤٤١٢٣٤٥٦", "phone", "Syrian mobile in Arabic-Indic digits"),
  p("digit_sets", "ar", "عمرها ١٢ سنة وهي في الصف ٧", "ages and grades in Arabic-Indic digits"),

  // ---- separators between digits
  b("separators", "ar", "call 71 234 567", "phone", "spaces"),
  b("separators", "ar", "call 71-234-567", "phone", "hyphens"),
  b("separators", "ar", "call 71–234–567", "phone", "en dashes"),
  b("separators", "ar", "call 71—234—567", "phone", "em dashes"),
  b("separators", "ar", "call 71−234−567", "phone", "minus signs"),
  b("separators", "ar", "call 71.234.567", "phone", "dots"),
  b("separators", "ar", "call 71_234_567", "phone", "underscores"),
  b("separators", "ar", "call 71/234/567", "phone", "slashes"),
  b("separators", "ar", "call (71) 234 567", "phone", "parentheses"),
  b("separators", "ar", "call +961 71 234 567", "phone", "plus sign and country code"),
  b("separators", "ar", "call 71\u00a0234\u00a0567", "phone", "no-break spaces"),
  b("separators", "ar", "call 71\u2009234\u2009567", "phone", "thin spaces"),
  b("separators", "ar", "call 71\u202f234\u202f567", "phone", "narrow no-break spaces"),
  b("separators", "ar", "call 7 1 2 3 4 5 6 7", "phone", "a space between every digit"),
  b("separators", "ar", "call 71 - 234 - 567", "phone", "spaced hyphens"),

  // ---- phone forms: country code, trunk 0
  b("phone_forms", "ar", "اتصلوا على 0096171234567", "phone", "00 + country code"),
  b("phone_forms", "ar", "اتصلوا على 071234567", "phone", "trunk 0"),
  b("phone_forms", "ar", "اتصلوا على 71234567", "phone", "bare national number"),
  b("phone_forms", "ar", "اتصلوا على 961-71-234567", "phone", "country code without plus"),
  b("phone_forms", "ar", "landline +961 3 456 789", "phone", "second phone with country code, trunk dropped"),
  b("phone_forms", "ar", "landline 03/456789", "phone", "second phone with trunk 0"),
  b("phone_forms", "latin", "whatsapp +963 944 123 456", "phone", "Syrian mobile in international form"),
  b("phone_forms", "latin", "whatsapp 944123456", "phone", "Syrian mobile without trunk 0"),

  // ---- ID numbers
  b("id_numbers", "ar", "registration 4451239", "id_number", "UNRWA number digits"),
  b("id_numbers", "ar", "UNRWA LB-4451239", "id_number", "ID with letters around"),
  b("id_numbers", "ar", "national ID 198 712 345", "id_number", "grouped ID"),
  b("id_numbers", "latin", "passport N0099887", "id_number", "passport number glued to a letter"),
  b("id_numbers", "latin", "رقم الجواز ٠٠٩٩٨٨٧", "id_number", "passport digits in Arabic-Indic"),

  // ---- other phone/ID-shaped numbers
  b("number_shaped", "ar", "رقم آخر 0933555777", "number_shaped", "a phone number that is not the household's"),
  b("number_shaped", "ar", "call 76 555 901", "number_shaped", "spaced unknown number"),
  b("number_shaped", "latin", "card 1234567890123", "number_shaped", "long ID-shaped number"),
  b("number_shaped", "common", "هوية رقم ٠١٢٣٤٥٦٧٨٩", "number_shaped", "ID-shaped number for a household without numbers"),
  b("number_shaped", "ar", "reach us at +44 20 7946 0958", "number_shaped", "foreign phone number"),
  b("number_shaped", "ar", "رقم ۰۹۸۸۷۶۶۵۵", "number_shaped", "Persian digits, unknown number"),

  // ---- numbers public by design
  p("public_numbers", "ar", "school year 2024-2025", "year range"),
  p("public_numbers", "ar", "العام الدراسي 2024/25", "short year range"),
  p("public_numbers", "ar", "since 2019", "a year"),
  p("public_numbers", "ar", "between 2011, 2015 and 2019", "a list of years"),
  p("public_numbers", "ar", "منذ عام ٢٠١٩–٢٠٢٠", "year range in Arabic-Indic digits and en dash"),
  p("public_numbers", "ar", "the surgery is on 12/05/2025", "a date"),
  p("public_numbers", "ar", "موعد العملية 2025-05-12", "an ISO date"),
  p("public_numbers", "ar", "She is 38 and her son is 15", "ages"),
  p("public_numbers", "ar", "grade 3 and grade 11", "grades"),
  p("public_numbers", "ar", "3 sewing machines and 12 blankets", "quantities"),
  p("public_numbers", "ar", "fees of $350 per term", "amount with a dollar sign"),
  p("public_numbers", "ar", "the operation costs 1,500,000 LBP", "thousands-grouped amount"),
  p("public_numbers", "ar", "التكلفة ١٬٥٠٠٬٠٠٠ ليرة", "Arabic thousands separator"),
  p("public_numbers", "ar", "التكلفة 1.500.000 ل.س", "dot-grouped amount by a currency"),
  p("public_numbers", "ar", "الإيجار 5000000 ل.س في السنة", "ungrouped amount by a currency"),
  p("public_numbers", "ar", "costs 2 500 000 SYP", "space-grouped amount by a currency"),
  p("public_numbers", "ar", "رسوم 12000000 جنيه", "amount with the currency word after"),
  p("public_numbers", "ar", "a total of 1,250,000", "comma-grouped amount without a currency"),
  p("public_numbers", "ar", "children born 2010 2012 and 2015", "years set off by spaces are not one long number"),
  p("public_numbers", "ar", "بتكلفة 2500000 دولاراً", "an amount before a currency word with a suffix"),
  p("public_numbers", "ar", "الرسوم 350,000 ل.ل للفصل", "Lebanese pounds"),
  p("public_numbers", "ar", "between 1,500,000-2,000,000 SYP", "a range of amounts"),
  p("public_numbers", "ar", "الأقساط بين 1.500.000 و 2.000.000 ل.س", "amounts around a currency"),
  b("public_numbers", "ar", "bank account 1.500.000.1", "number_shaped", "dot groups that are no amount"),
  b("public_numbers", "ar", "call 0933555777 and 350 dollars", "number_shaped", "a phone next to an amount stays a phone"),
  b("public_numbers", "ar", "send 0933555777 $", "number_shaped", "a number with a trunk 0 is no amount"),
  b("public_numbers", "ar", "transfer $71234567 please", "phone", "a currency does not hide the household's phone"),

  // ---- compounds
  b("compounds", "ar", "عبدالرحمن في الصف الثالث", "name", "compound written joined, member recorded apart"),
  b("compounds", "ar", "عبد الرحمن في الصف الثالث", "name", "compound apart"),
  b("compounds", "ar", "وعبد الرحمن أخوه", "name", "compound with a prefix"),
  b("compounds", "ar", "Abdelrahman is in grade 3", "name", "Latin joined, Abdel-"),
  b("compounds", "ar", "Abd al-Rahman is in grade 3", "name", "Latin apart with al-"),
  b("compounds", "ar", "Abdul Rahman is in grade 3", "name", "Abdul + space"),
  b("compounds", "ar", "Abdurrahman is in grade 3", "name", "sun-letter assimilation"),
  b("compounds", "ar", "Abd El-Rahman is in grade 3", "name", "Abd El-"),
  b("compounds", "ar", "Abdel Rahman is in grade 3", "name", "Abdel + space"),
  b("compounds", "latin", "عبد الرحمن طالب مجتهد", "name", "Latin-recorded compound in Arabic text, apart"),
  b("compounds", "latin", "عبدالرحمن طالب مجتهد", "name", "Latin-recorded compound in Arabic text, joined"),
  b("compounds", "latin", "Abdelrahman is a good student", "name", "Latin-recorded compound, other Latin spelling"),
  b("compounds", "ar", "Abd ar-Rahman is in grade 3", "name", "the article assimilated, written apart"),
  b("compounds", "ar", "عبد  الرحمن", "name", "two spaces between the parts"),
  p("compounds", "ar", "بسم الله الرحمن الرحيم", "the part bound to عبد is not a name on its own"),

  // ---- أبو / أم / بنت / ابن
  b("abu_umm_bint_ibn", "ar", "أبوبكر يساعد أمه", "name", "أبو joined"),
  b("abu_umm_bint_ibn", "ar", "أبو بكر يساعد أمه", "name", "أبو apart"),
  b("abu_umm_bint_ibn", "ar", "Abu Bakr helps his mother", "name", "Abu apart in Latin"),
  b("abu_umm_bint_ibn", "ar", "Abubakr helps his mother", "name", "Abu joined in Latin"),
  b("abu_umm_bint_ibn", "ar", "أم كلثوم تحتاج دواء", "name", "أم compound"),
  b("abu_umm_bint_ibn", "ar", "Umm Kulthum needs medicine", "name", "Umm compound in Latin"),
  b("abu_umm_bint_ibn", "ar", "بنت سعيد تحتاج دواء", "name", "بنت compound"),
  b("abu_umm_bint_ibn", "ar", "ابن حسين يحتاج دواء", "name", "ابن compound"),
  b("abu_umm_bint_ibn", "ar", "Ibn Hussein needs medicine", "name", "Ibn compound in Latin"),
  b("abu_umm_bint_ibn", "latin", "أبو بكر يحب المدرسة", "name", "Latin-recorded Abubakr in Arabic text"),
  b("abu_umm_bint_ibn", "latin", "Abou Bakr loves school", "name", "Latin-recorded Abubakr, other spelling"),
  p("abu_umm_bint_ibn", "ar", "أم لثلاثة أطفال تحتاج بدل إيجار", "the particle alone is an ordinary word"),
  p("abu_umm_bint_ibn", "ar", "a mother and her son", "particles alone never match"),

  // ---- romanization of Arabic-recorded names
  b("romanization", "ar", "Her son Youssef loves maths.", "name", "issue example"),
  b("romanization", "ar", "Yousef is nine", "name", "يوسف → Yousef"),
  b("romanization", "ar", "Yusuf is nine", "name", "يوسف → Yusuf"),
  b("romanization", "ar", "Yousif is nine", "name", "يوسف → Yousif"),
  b("romanization", "ar", "Her daughter Huda is in grade 3.", "name", "issue example"),
  b("romanization", "ar", "Houda is in grade 3", "name", "هدى → Houda"),
  b("romanization", "ar", "Hoda is in grade 3", "name", "هدى → Hoda"),
  b("romanization", "ar", "Ali needs glasses", "name", "علي → Ali"),
  b("romanization", "ar", "Aly needs glasses", "name", "علي → Aly"),
  b("romanization", "ar", "Omar needs glasses", "name", "عمر → Omar"),
  b("romanization", "ar", "Umar needs glasses", "name", "عمر → Umar"),
  b("romanization", "ar", "Nour is four", "name", "نور → Nour"),
  b("romanization", "ar", "Noor is four", "name", "نور → Noor"),
  b("romanization", "ar", "Nur is four", "name", "نور → Nur"),
  b("romanization", "ar", "Mohammad is ten", "name", "محمد → Mohammad"),
  b("romanization", "ar", "Muhammad is ten", "name", "محمد → Muhammad"),
  b("romanization", "ar", "Mohamed is ten", "name", "محمد → Mohamed"),
  b("romanization", "ar", "Mohammed is ten", "name", "محمد → Mohammed"),
  b("romanization", "ar", "Fatima is the mother", "name", "فاطمة → Fatima"),
  b("romanization", "ar", "Fatma is the mother", "name", "فاطمة → Fatma"),
  b("romanization", "ar", "Fatmeh is the mother", "name", "فاطمة → Fatmeh"),
  b("romanization", "ar", "Fatimah is the mother", "name", "فاطمة → Fatimah"),
  b("romanization", "ar", "Zeinab loves school", "name", "زينب → Zeinab"),
  b("romanization", "ar", "Zaynab loves school", "name", "زينب → Zaynab"),
  b("romanization", "ar", "Mahmoud is the grandfather", "name", "محمود → Mahmoud"),
  b("romanization", "ar", "Khalil is the father", "name", "خليل → Khalil"),
  b("romanization", "ar", "the Al-Hassan family", "name", "الحسن → Al-Hassan"),
  b("romanization", "ar", "the Elhassan family", "name", "الحسن → Elhassan"),
  b("romanization", "ar", "Hassan family", "name", "the article may be dropped"),
  b("romanization", "ar", "Hussein is the grandfather", "name", "حسين → Hussein"),
  b("romanization", "ar", "Kulthum is the aunt", "name", "كلثوم alone, after أم"),
  b("romanization", "ar", "el-Shami family", "name", "الشامي → el-Shami"),
  b("romanization", "ar", "Zainab loves school", "name", "زينب → Zainab"),
  b("romanization", "ar", "Huda's school is far", "name", "an English possessive after a name"),
  b("romanization", "ar", "ʿAlī and Yūsuf", "name", "scholarly transliteration with ʿ and macrons"),
  b("romanization", "ar", "the 7assan family", "name", "chat alphabet: 7 for ح"),
  p("romanization", "ar", "she needs more help", "عمر is never “more”: its initial ع is a vowel"),
  p("romanization", "ar", "the family had no income", "هدى needs its final vowel"),
  p("romanization", "ar", "all the children go to school", "علي needs its final vowel"),

  // ---- Latin-recorded names in Arabic text
  b("latin_name_arabic_text", "latin", "يوسف يحب كرة القدم", "name", "Youssef → يوسف"),
  b("latin_name_arabic_text", "latin", "محمد يحتاج كرسياً متحركاً", "name", "Mohammad → محمد"),
  b("latin_name_arabic_text", "latin", "ومحمد يحتاج كرسياً", "name", "with a prefix"),
  b("latin_name_arabic_text", "latin", "هوب تدرس التمريض", "name", "Hope → هوب (silent final e)"),
  b("latin_name_arabic_text", "latin", "ناصر وعبد الرحمن", "name", "Abd al-Rahman → عبد الرحمن after و"),
  b("latin_name_arabic_text", "latin", "الأب خليل يعمل", "name", "Khalil → خليل"),
  c("latin_name_arabic_text", "latin", "عائلة حداد", "Haddad → حداد, also an ordinary word (blacksmith)"),
  c("latin_name_arabic_text", "latin", "منصور يحتاج علاجاً", "Mansour → منصور, also an ordinary word"),
  c("latin_name_arabic_text", "latin", "سالم طالب", "Salem → سالم, also an ordinary word"),
  b("latin_name_arabic_text", "latin", "تعيش الأسرة في جرمانا", "address", "Latin-recorded address word in Arabic text"),
  p("latin_name_arabic_text", "latin", "يحتاج الطفل إلى علاج", "no household string"),

  // ---- Latin spelling variants of Latin-recorded names
  b("latin_variants", "latin", "Mohamed needs a wheelchair", "name", "Mohammad → Mohamed"),
  b("latin_variants", "latin", "Muhammad needs a wheelchair", "name", "Mohammad → Muhammad"),
  b("latin_variants", "latin", "Yusuf loves football", "name", "Youssef → Yusuf"),
  b("latin_variants", "latin", "Yousef loves football", "name", "Youssef → Yousef"),
  b("latin_variants", "latin", "Abu Bakr loves school", "name", "Abubakr → Abu Bakr"),
  b("latin_variants", "latin", "Abdulrahman is six", "name", "Abd al-Rahman → Abdulrahman"),
  b("latin_variants", "latin", "Salim is the uncle", "name", "Salem → Salim"),
  b("latin_variants", "latin", "Naser is the uncle", "name", "Nasser → Naser"),
  b("latin_variants", "latin", "Mansur is the uncle", "name", "Mansour → Mansur"),
  b("latin_variants", "latin", "the Hadad family", "name", "Haddad → Hadad"),
  p("latin_variants", "latin", "the same school and the same teacher", "no short-skeleton matches"),

  // ---- Arabic prefixes
  b("prefixes", "ar", "وليوسف أخت", "name", "و + ل + name"),
  b("prefixes", "ar", "ولمحمد ثلاثة إخوة", "name", "و + ل + name"),
  b("prefixes", "ar", "بفاطمة", "name", "ب + name"),
  b("prefixes", "ar", "للحسين بيت", "name", "لل + name"),
  b("prefixes", "ar", "والحسين", "name", "و + article + name"),
  b("prefixes", "ar", "فزينب تحب الرسم", "name", "ف + name"),
  b("prefixes", "ar", "كزينب في سنها", "name", "ك + name"),
  c("prefixes", "ar", "بعمر ثماني سنوات", "ب + عمر: a name that is also “age”"),
  c("prefixes", "ar", "ابن الحسن", "الحسن: the article + حسن, an ordinary word: possible name"),

  // ---- common words: possible names to confirm
  c("common_words", "ar", "نور الشمس لا يدخل الغرفة", "نور is also “light”"),
  c("common_words", "ar", "الأمل كبير بالشفاء", "أمل is also “hope”"),
  c("common_words", "ar", "والد سعيد بنجاح ابنه", "سعيد is also “happy”"),
  c("common_words", "ar", "هدى الله الجميع", "هدى is also “guidance”"),
  b("common_words", "ar", "Ali is an ally of the school", "name", "“ally” is a possible name, Ali still blocks"),
  c("common_words", "ar", "a good ally", "علي → “ally”, an ordinary English word"),
  c("common_words", "ar", "he said thank you", "سعيد → “said”, an ordinary English word"),
  c("common_words", "common", "حسن السلوك", "حسن is also “good”"),
  c("common_words", "common", "رجل كريم", "كريم is also “generous”"),
  c("common_words", "common", "منظر جميل", "جميل is also “beautiful”"),
  c("common_words", "common", "الوفاء بالوعد", "وفاء is also “loyalty”"),
  c("common_words", "common", "أب صابر", "صابر is also “patient”"),
  c("common_words", "common", "الإيمان والرحمة", "إيمان and رحمة are ordinary words"),
  c("common_words", "common", "رجل عادل", "عادل is also “fair”"),
  c("common_words", "latin", "We hope she recovers", "Hope is an ordinary English word"),
  c("common_words", "latin", "with grace and patience", "Grace is an ordinary English word"),
  b("common_words", "common", "Karim needs glasses", "name", "كريم in Latin is not an English word: blocks"),
  b("common_words", "ar", "Amal is in grade 4", "name", "أمل in Latin is not an English word: blocks"),

  // ---- function words
  p("function_words", "ar", "تحصل على دواء شهرياً", "على is not the name علي as written"),
  p("function_words", "ar", "وعلى الأسرة ديون", "و + على"),
  c("function_words", "ar", "علي الأسرة ديون", "علي as written is the name, but also على misspelt: confirm"),
  p("function_words", "ar", "neither the father nor the mother works", "نور is not “nor”"),
  p("function_words", "latin", "we are here for you", "no Latin name matches function words"),
  p("function_words", "ar", "من أجل مستقبل أفضل", "ordinary Arabic function words"),
  p("function_words", "ar", "إلى المدرسة كل يوم", "إلى is a function word"),
  p("function_words", "latin", "أخذ مني كل شيء", "مني (from me) is a function word"),

  // ---- public by design: region and governorate
  p("public_places", "ar", "أسرة لاجئة في الجنوب", "the governorate, though the address contains الجنوب"),
  p("public_places", "ar", "A refugee family in South Lebanon", "the governorate in English"),
  p("public_places", "ar", "في محافظة الجنوب", "the governorate's full name"),
  p("public_places", "ar", "وفي الجنوب مدارس كثيرة", "with a prefix"),
  p("public_places", "latin", "تعيش الأسرة في ريف دمشق", "the Latin household's governorate in Arabic"),
  b("public_places", "ar", "تعيش الأسرة في صيدا", "address", "a place of the private address that is not the public region"),

  // ---- address
  b("address", "ar", "تسكن الأسرة في بناية الزيتون", "address", "ordinary word next to an address word"),
  p("address", "ar", "زيت الزيتون غالٍ", "ordinary word alone is not the address"),
  b("address", "ar", "قرب مسجد النور", "address", "two address words together"),
  b("address", "ar", "في مخيم عين الحلوة", "address", "the camp"),
  b("address", "ar", "in Ain al-Hilweh camp", "address", "the camp in Latin"),
  b("address", "ar", "near the Hilweh market", "address", "a distinctive address word romanized"),
  b("address", "latin", "they live in Jaramana", "address", "Latin-recorded address word"),
  b("address", "latin", "near Sakhr street", "address", "distinctive word of a Latin address"),
  b("address", "common", "تسكن في حي السلام", "address", "ordinary word next to حي"),
  p("address", "common", "السلام عليكم", "ordinary word alone"),

  // ---- ordinary texts
  p("ordinary_text", "ar", "A widowed mother raises three children and needs school fees.", "ordinary English"),
  p("ordinary_text", "ar", "أم أرملة تعيل ثلاثة أطفال وتحتاج إلى أقساط المدرسة", "ordinary Arabic"),
  p("ordinary_text", "latin", "The family needs a wheelchair and physiotherapy for six months.", "ordinary English"),
  p("ordinary_text", "latin", "تحتاج الأسرة إلى كرسي متحرك وعلاج فيزيائي لمدة ستة أشهر", "ordinary Arabic"),
  p("ordinary_text", "common", "The father lost his job; the mother sews at home.", "ordinary English"),
  p("ordinary_text", "ar", "Winter blankets, a heater and fuel for 4 months", "ordinary English with a quantity"),
  p("ordinary_text", "ar", "تحتاج الطفلة إلى عملية في القلب بتكلفة 4,500 دولار", "ordinary Arabic with an amount"),
  p("ordinary_text", "latin", "Rent for 6 months at 150 USD a month, 2025-2026", "ordinary English with numbers"),
];

const HOUSEHOLDS: Record<Household, [PrivateStrings, PublicContext]> = {
  ar: [ARABIC_HOUSEHOLD, ARABIC_CONTEXT],
  latin: [LATIN_HOUSEHOLD, LATIN_CONTEXT],
  common: [COMMON_HOUSEHOLD, {}],
};

/** block: some hit blocks (reasons of the blocking hits); confirm: only possible names; pass: no hit at all. */
export function outcomeOf(text: string, household: Household) {
  const [secrets, context] = HOUSEHOLDS[household];
  const hits = checkPublicText({ story: text }, secrets, context);
  const blocks = hits.filter((h) => h.severity === "block");
  const outcome: Outcome = blocks.length > 0 ? "block" : hits.length > 0 ? "confirm" : "pass";
  return { outcome, reasons: (blocks.length > 0 ? blocks : hits).map((h) => h.reason), hits };
}
