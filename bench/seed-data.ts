/**
 * The bench seed's fixed vocabulary: two more fictional organisations (beside the three demo
 * ones) and, per category, a few public titles and stories in Arabic and English. Needs are drawn
 * from these templates, so their search text can be computed by the app's own buildSearchText
 * once per template and governorate. Everything here is invented; place names are public ones.
 */
import type { DemoOrganization } from "../db/demo-data";

/** Published needs by default (BENCH_NEEDS overrides it). */
export const DEFAULT_PUBLISHED_NEEDS = 50_000;

/** BENCH_NEEDS (default 50,000): a whole number of published needs to seed, 100 to 5,000,000. */
export function benchNeeds(raw: string | undefined = process.env.BENCH_NEEDS): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_PUBLISHED_NEEDS;
  const n = Number(raw.replace(/[_,]/g, ""));
  if (!Number.isInteger(n) || n < 100 || n > 5_000_000) throw new Error(`BENCH_NEEDS must be a whole number from 100 to 5,000,000 (got "${raw}")`);
  return n;
}

/** A demo organisation's profile and regions (payment details are not needed for the bench). */
export interface BenchOrg extends Omit<DemoOrganization, "payment"> {
  /** Staff (caseworker, verifier, finance, org_admin) get `<prefix>.<role>@bench.tadamon.test`. */
  staffPrefix: string;
}

export const BENCH_ORGS: BenchOrg[] = [
  {
    slug: "irbid-solidarity-bench",
    nameAr: "جمعية إربد للتكافل الأسري",
    nameEn: "Irbid Family Solidarity Society",
    country: "JO",
    defaultCurrency: "JOD",
    timeZone: "Asia/Amman",
    staffPrefix: "irbid",
    regions: [
      { nameAr: "محافظة إربد", nameEn: "Irbid", children: [{ nameAr: "لواء قصبة إربد", nameEn: "Irbid Qasabah", children: [{ nameAr: "مخيم إربد", nameEn: "Irbid camp" }] }] },
      { nameAr: "محافظة المفرق", nameEn: "Mafraq", children: [{ nameAr: "لواء قصبة المفرق", nameEn: "Mafraq Qasabah", children: [{ nameAr: "مدينة المفرق", nameEn: "Mafraq city" }] }] },
      { nameAr: "محافظة العاصمة", nameEn: "Amman", children: [{ nameAr: "لواء ماركا", nameEn: "Marka", children: [{ nameAr: "مخيم الوحدات", nameEn: "Al-Wehdat camp" }] }] },
    ],
  },
  {
    slug: "nineveh-relief-bench",
    nameAr: "منظمة نينوى للإغاثة والتنمية",
    nameEn: "Nineveh Relief and Development Organisation",
    country: "IQ",
    defaultCurrency: "IQD",
    timeZone: "Asia/Baghdad",
    staffPrefix: "nineveh",
    regions: [
      { nameAr: "محافظة نينوى", nameEn: "Nineveh", children: [{ nameAr: "قضاء الموصل", nameEn: "Mosul", children: [{ nameAr: "الموصل القديمة", nameEn: "Old City of Mosul" }] }] },
      { nameAr: "محافظة دهوك", nameEn: "Duhok", children: [{ nameAr: "قضاء زاخو", nameEn: "Zakho", children: [{ nameAr: "مدينة زاخو", nameEn: "Zakho city" }] }] },
      { nameAr: "محافظة أربيل", nameEn: "Erbil", children: [{ nameAr: "قضاء أربيل", nameEn: "Erbil district", children: [{ nameAr: "حي عنكاوا", nameEn: "Ankawa" }] }] },
    ],
  },
];

/** Per currency: the target range (major units) and the step targets are rounded to. */
export const TARGET_RANGES: Record<string, { lo: number; hi: number; step: number }> = {
  USD: { lo: 150, hi: 6_000, step: 10 },
  SYP: { lo: 1_000_000, hi: 80_000_000, step: 50_000 },
  EGP: { lo: 3_000, hi: 250_000, step: 100 },
  JOD: { lo: 100, hi: 4_000, step: 10 },
  IQD: { lo: 200_000, hi: 8_000_000, step: 5_000 },
};

/** How the seeded needs are split over the organisations (by slug); the rest are equal shares. */
export const ORG_WEIGHTS: Record<string, number> = {
  "bayader-camps": 0.3,
  "shahba-social-affairs": 0.2,
  "sohag-palms": 0.2,
  "irbid-solidarity-bench": 0.15,
  "nineveh-relief-bench": 0.15,
};

export type Category =
  | "school_fees"
  | "medical_treatment"
  | "surgery"
  | "medication"
  | "in_kind_item"
  | "rent"
  | "food"
  | "livelihood_asset"
  | "other";

export type PayeeKind = "school" | "hospital" | "pharmacy" | "vendor" | "household";

export interface NeedTemplate {
  category: Category;
  payeeKind: PayeeKind;
  payeeName: string;
  titleAr: string;
  titleEn: string;
  storyAr: string;
  storyEn: string;
  /** In-kind needs: the one item line and its quantity range (the target is quantity × unit cost). */
  item?: { labelAr: string; labelEn: string; minQty: number; maxQty: number };
}

/** Relative frequency of each category among seeded needs. */
export const CATEGORY_WEIGHTS: Record<Category, number> = {
  school_fees: 0.18,
  medical_treatment: 0.12,
  surgery: 0.08,
  medication: 0.14,
  in_kind_item: 0.12,
  rent: 0.12,
  food: 0.14,
  livelihood_asset: 0.06,
  other: 0.04,
};

export const NEED_TEMPLATES: NeedTemplate[] = [
  {
    category: "school_fees",
    payeeKind: "school",
    payeeName: "مدرسة خاصة (مثال)",
    titleAr: "أقساط مدرسية لطالبة في الصف السابع",
    titleEn: "School fees for a seventh-grade girl",
    storyAr:
      "طالبة متفوقة تحتاج إلى تسديد قسطها المدرسي لهذا العام كي تواصل دراستها. فقد والدها عمله منذ أشهر ولم تعد الأسرة قادرة على الدفع. يُدفع المبلغ مباشرة إلى المدرسة.",
    storyEn:
      "A top student needs this year's school fees paid so she can stay in class. Her father lost his job months ago and the family can no longer pay. The money goes directly to the school.",
  },
  {
    category: "school_fees",
    payeeKind: "school",
    payeeName: "مدرسة خاصة (مثال)",
    titleAr: "رسوم مدرسية وكتب لثلاثة أطفال",
    titleEn: "School fees and books for three children",
    storyAr:
      "ثلاثة إخوة في المرحلة الابتدائية مهددون بترك المدرسة بسبب تراكم الرسوم. يغطي هذا الاحتياج الرسوم والكتب والقرطاسية للعام الدراسي كاملاً.",
    storyEn:
      "Three brothers and sisters in primary school may have to drop out because the fees have piled up. This need covers fees, books and stationery for the whole school year.",
  },
  {
    category: "school_fees",
    payeeKind: "school",
    payeeName: "جامعة (مثال)",
    titleAr: "قسط جامعي لطالب في سنته الأخيرة",
    titleEn: "University fees for a final-year student",
    storyAr:
      "طالب هندسة في سنته الأخيرة يعمل مساءً لمساعدة أسرته، وينقصه القسط الأخير ليتخرج. تُحوَّل المساعدة إلى الجامعة مباشرة.",
    storyEn:
      "An engineering student in his final year works evenings to help his family and is one instalment short of graduating. The help is paid to the university directly.",
  },
  {
    category: "medical_treatment",
    payeeKind: "hospital",
    payeeName: "مركز علاج (مثال)",
    titleAr: "علاج فيزيائي لطفل مصاب بالشلل الدماغي",
    titleEn: "Physiotherapy for a child with cerebral palsy",
    storyAr:
      "طفل في السادسة يحتاج إلى جلسات علاج فيزيائي منتظمة لمدة ستة أشهر ليتمكن من المشي بمساعدة. أوصى الطبيب المعالج بثلاث جلسات أسبوعياً.",
    storyEn:
      "A six-year-old boy needs regular physiotherapy for six months so he can walk with support. His doctor prescribed three sessions a week.",
  },
  {
    category: "medical_treatment",
    payeeKind: "hospital",
    payeeName: "مستشفى (مثال)",
    titleAr: "جلسات غسيل كلى لأب معيل",
    titleEn: "Dialysis sessions for a father who supports his family",
    storyAr:
      "أب لخمسة أطفال يحتاج إلى غسيل الكلى مرتين في الأسبوع. لا يغطي أي تأمين تكاليف الجلسات، والأسرة تعتمد عليه في معيشتها.",
    storyEn:
      "A father of five needs dialysis twice a week. No insurance covers the sessions, and the family depends on him for its living.",
  },
  {
    category: "surgery",
    payeeKind: "hospital",
    payeeName: "مستشفى (مثال)",
    titleAr: "عملية قلب مفتوح لطفلة",
    titleEn: "Open-heart surgery for a little girl",
    storyAr:
      "طفلة في الرابعة وُلدت بثقب في القلب، وقرر الأطباء أن العملية لا تحتمل التأجيل. جُمع جزء من الكلفة وبقي الجزء الأكبر.",
    storyEn:
      "A four-year-old girl was born with a hole in her heart and her doctors say the operation cannot wait. Part of the cost has been raised; most of it remains.",
  },
  {
    category: "surgery",
    payeeKind: "hospital",
    payeeName: "مستشفى عيون (مثال)",
    titleAr: "عملية إزالة المياه البيضاء لجدة",
    titleEn: "Cataract surgery for a grandmother",
    storyAr:
      "جدة تعيش مع أحفادها فقدت معظم بصرها بسبب المياه البيضاء. العملية بسيطة لكنها خارج قدرة الأسرة، وستعيد لها استقلالها.",
    storyEn:
      "A grandmother who lives with her grandchildren has lost most of her sight to cataracts. The operation is simple but beyond the family's means, and will give her independence back.",
  },
  {
    category: "medication",
    payeeKind: "pharmacy",
    payeeName: "صيدلية (مثال)",
    titleAr: "أدوية السكري والضغط لستة أشهر",
    titleEn: "Six months of diabetes and blood-pressure medication",
    storyAr:
      "رجل مسن مصاب بالسكري وارتفاع الضغط ينقطع عن أدويته كلما ضاق الحال. يؤمن هذا الاحتياج الأدوية لستة أشهر من صيدلية متعاقدة مع الجمعية.",
    storyEn:
      "An elderly man with diabetes and high blood pressure stops his medication whenever money runs short. This need buys six months of it from a pharmacy the association works with.",
  },
  {
    category: "medication",
    payeeKind: "pharmacy",
    payeeName: "صيدلية (مثال)",
    titleAr: "دواء الربو وبخاخات لطفل",
    titleEn: "Asthma medication and inhalers for a child",
    storyAr:
      "طفل في التاسعة يعاني من نوبات ربو متكررة في الشتاء. يحتاج إلى بخاخات وقائية وأدوية إسعافية طوال الموسم.",
    storyEn:
      "A nine-year-old boy has repeated asthma attacks in winter. He needs preventive inhalers and rescue medication for the whole season.",
  },
  {
    category: "in_kind_item",
    payeeKind: "vendor",
    payeeName: "مورّد (مثال)",
    titleAr: "ماكينة خياطة لأم تعيل أسرتها",
    titleEn: "A sewing machine for a mother who supports her family",
    storyAr:
      "أم لأربعة أطفال تتقن الخياطة وتتلقى طلبات من جيرانها، لكنها لا تملك ماكينة. ستشتري الجمعية الماكينة وتسلمها لها مباشرة.",
    storyEn:
      "A mother of four is a skilled seamstress with orders from her neighbours, but has no machine. The association buys it and hands it to her directly.",
    item: { labelAr: "ماكينة خياطة", labelEn: "sewing machine", minQty: 1, maxQty: 1 },
  },
  {
    category: "in_kind_item",
    payeeKind: "vendor",
    payeeName: "مورّد (مثال)",
    titleAr: "كرسي متحرك لشاب مصاب",
    titleEn: "A wheelchair for an injured young man",
    storyAr:
      "شاب في العشرين فقد القدرة على المشي إثر حادث عمل، ويحتاج إلى كرسي متحرك مناسب ليعود إلى الدراسة.",
    storyEn:
      "A twenty-year-old lost the use of his legs in a work accident and needs a proper wheelchair to get back to his studies.",
    item: { labelAr: "كرسي متحرك", labelEn: "wheelchair", minQty: 1, maxQty: 1 },
  },
  {
    category: "in_kind_item",
    payeeKind: "vendor",
    payeeName: "مورّد (مثال)",
    titleAr: "بطانيات شتوية لعائلات المخيم",
    titleEn: "Winter blankets for families in the camp",
    storyAr:
      "مع اقتراب الشتاء تحتاج عائلات عدة إلى بطانيات ثقيلة. تُشترى البطانيات من مورد محلي وتوزعها الجمعية.",
    storyEn:
      "With winter coming, several families need heavy blankets. They are bought from a local supplier and handed out by the association.",
    item: { labelAr: "بطانية شتوية", labelEn: "winter blanket", minQty: 10, maxQty: 40 },
  },
  {
    category: "rent",
    payeeKind: "household",
    payeeName: "المالك (مثال)",
    titleAr: "بدل إيجار ثلاثة أشهر لأسرة نازحة",
    titleEn: "Three months' rent for a displaced family",
    storyAr:
      "أسرة نزحت مرتين خلال عامين وتواجه الإخلاء بعد تأخرها في دفع الإيجار. يضمن هذا المبلغ بقاءها في مسكنها ثلاثة أشهر ريثما يجد الأب عملاً.",
    storyEn:
      "A family displaced twice in two years faces eviction after falling behind on rent. This keeps them in their home for three months while the father looks for work.",
  },
  {
    category: "rent",
    payeeKind: "household",
    payeeName: "المالك (مثال)",
    titleAr: "إيجار مسكن لأرملة وأطفالها",
    titleEn: "Rent for a widow and her children",
    storyAr: "أرملة تعيش مع ثلاثة أطفال في غرفة واحدة وتدين بإيجار شهرين. يُدفع الإيجار للمالك مباشرة.",
    storyEn: "A widow living with three children in one room owes two months' rent. It is paid to the landlord directly.",
  },
  {
    category: "food",
    payeeKind: "vendor",
    payeeName: "متجر مواد غذائية (مثال)",
    titleAr: "سلة غذائية شهرية لأسرة من سبعة أفراد",
    titleEn: "A monthly food basket for a family of seven",
    storyAr: "أسرة من سبعة أفراد لا دخل ثابتاً لها. تحتوي السلة على الأرز والعدس والزيت والسكر والحليب للأطفال.",
    storyEn: "A family of seven with no steady income. The basket holds rice, lentils, oil, sugar and milk for the children.",
  },
  {
    category: "food",
    payeeKind: "vendor",
    payeeName: "متجر مواد غذائية (مثال)",
    titleAr: "حليب أطفال وحفاضات لرضيعين توأم",
    titleEn: "Baby formula and nappies for twin infants",
    storyAr: "توأم في شهره الرابع يحتاج إلى حليب صناعي بسبب مرض الأم. يغطي الاحتياج ثلاثة أشهر.",
    storyEn: "Four-month-old twins need formula because their mother is ill. This covers three months.",
  },
  {
    category: "livelihood_asset",
    payeeKind: "vendor",
    payeeName: "مربي مواشٍ (مثال)",
    titleAr: "قطيع ماعز صغير لمشروع أسري",
    titleEn: "A small goat herd for a family project",
    storyAr: "أسرة ريفية تملك حظيرة وخبرة في تربية المواشي. خمس عنزات تكفي لبدء مشروع يؤمن الحليب والدخل.",
    storyEn: "A rural family has a pen and experience with livestock. Five goats are enough to start a project that brings milk and income.",
  },
  {
    category: "livelihood_asset",
    payeeKind: "vendor",
    payeeName: "مورّد (مثال)",
    titleAr: "عربة بيع خضار لأب عاطل عن العمل",
    titleEn: "A vegetable cart for an unemployed father",
    storyAr: "أب فقد عمله في البناء يريد أن يبيع الخضار في سوق الحي. تحتاج الأسرة إلى عربة وبضاعة أولى.",
    storyEn: "A father who lost his building job wants to sell vegetables in the local market. The family needs a cart and first stock.",
  },
  {
    category: "other",
    payeeKind: "vendor",
    payeeName: "ورشة (مثال)",
    titleAr: "إصلاح سقف منزل قبل الشتاء",
    titleEn: "Repairing a home's roof before winter",
    storyAr: "يتسرب المطر إلى غرفة الأطفال من سقف متصدع. يشمل الإصلاح العزل واستبدال الألواح التالفة.",
    storyEn: "Rain leaks into the children's room through a cracked roof. The repair covers insulation and replacing broken panels.",
  },
];

/** Donor display names on seeded pledges (fictional). */
export const DONOR_NAMES = ["أبو خالد", "أم سمير", "سارة", "محمد من برلين", "Leila", "Omar K.", "فاعل خير", "Nadia", "عائلة الحسن", "Yusuf"];
export const DONOR_MESSAGES = ["بالتوفيق", "دعواتنا لكم", "Get well soon", "ربنا يفرّج", "With love from the diaspora"];

/**
 * Why a string may not be written as seeded text, or null when it may: no control characters
 * (C0 — NUL included, which PostgreSQL refuses in text — DEL, C1), no lone surrogate halves (broken
 * UTF-16 that cannot be encoded as UTF-8), no U+FFFD (a decoding accident), NFC, not blank, and no
 * leading or trailing spaces.
 */
export function seedTextProblem(text: string): string | null {
  if (text.trim() === "") return "blank";
  if (text !== text.trim()) return "leading or trailing space";
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(text);
  if (control) return `control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) return "lone surrogate";
  if (text.includes("\ufffd")) return "replacement character";
  if (text.normalize("NFC") !== text) return "not NFC";
  return null;
}

/** Every string of this file that the seed writes, with where it comes from. */
export function seedTexts(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  BENCH_ORGS.forEach((o) => {
    out.push({ where: `${o.slug}.nameAr`, text: o.nameAr }, { where: `${o.slug}.nameEn`, text: o.nameEn });
    const walk = (regions: BenchOrg["regions"], at: string) =>
      regions.forEach((r, i) => {
        out.push({ where: `${at}[${i}].nameAr`, text: r.nameAr }, { where: `${at}[${i}].nameEn`, text: r.nameEn });
        walk(r.children ?? [], `${at}[${i}].children`);
      });
    walk(o.regions, `${o.slug}.regions`);
  });
  NEED_TEMPLATES.forEach((t, i) => {
    for (const key of ["payeeName", "titleAr", "titleEn", "storyAr", "storyEn"] as const) out.push({ where: `NEED_TEMPLATES[${i}].${key}`, text: t[key] });
    if (t.item) out.push({ where: `NEED_TEMPLATES[${i}].item.labelAr`, text: t.item.labelAr }, { where: `NEED_TEMPLATES[${i}].item.labelEn`, text: t.item.labelEn });
  });
  DONOR_NAMES.forEach((text, i) => out.push({ where: `DONOR_NAMES[${i}]`, text }));
  DONOR_MESSAGES.forEach((text, i) => out.push({ where: `DONOR_MESSAGES[${i}]`, text }));
  return out;
}

/** Throws, naming every bad string, unless all of the seed's texts are valid. */
export function assertSeedText(texts = seedTexts()): void {
  const bad = texts.flatMap(({ where, text }) => {
    const problem = seedTextProblem(text);
    return problem ? [`${where}: ${problem}`] : [];
  });
  if (bad.length) throw new Error(`bench seed text is not valid: ${bad.join("; ")}`);
}
