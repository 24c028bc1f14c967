/**
 * The demo data: three fictional organisations, their regions, staff in every role, a platform
 * admin and three donors. Plain data with no imports, so the seed, the e2e tests and the README
 * read one list. Every organisation and person here is invented; place names are public ones.
 */

/** Every demo account signs in with this password (the README lists the accounts). */
export const DEMO_PASSWORD = "tadamon-demo-2026";
export const DEMO_EMAIL_DOMAIN = "demo.tadamon.org";

export type DemoRole = "caseworker" | "verifier" | "finance" | "org_admin";
export type DemoRegionLevel = "governorate" | "district" | "locality";

export interface DemoRegion {
  nameAr: string;
  nameEn: string;
  children?: DemoRegion[];
}

export interface DemoOrganization {
  slug: string;
  nameAr: string;
  nameEn: string;
  country: string;
  defaultCurrency: string;
  timeZone: string;
  /** Printed on receipts (fictional): the registered legal name and registration number. */
  legalName?: string;
  registrationNumber?: string;
  /** The public page's profile (fictional): mission, who it is registered with, the year founded. */
  missionAr?: string;
  missionEn?: string;
  registeredWithAr?: string;
  registeredWithEn?: string;
  foundedYear?: number;
  /** governorate → district → camp or neighbourhood */
  regions: DemoRegion[];
  /** Where donors send offline money (fictional accounts; written once, an admin's edits stay). */
  payment: {
    bankName: string;
    accountName: string;
    accountNumber: string;
    swift: string | null;
    transferShopInstructionsAr: string;
    transferShopInstructionsEn: string;
    officeInstructionsAr: string;
    officeInstructionsEn: string;
    pledgeExpiryDays: number;
  };
}

export interface DemoUser {
  email: string;
  displayName: string;
  locale: "ar" | "en";
  isPlatformAdmin?: boolean;
  /** Roles per organisation slug; none for a donor. */
  memberships?: { org: string; role: DemoRole }[];
  /** A short description for the README's table of logins. */
  note: string;
}

const email = (local: string) => `${local}@${DEMO_EMAIL_DOMAIN}`;

export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  {
    slug: "bayader-camps",
    nameAr: "جمعية بيادر لرعاية الأسر في المخيمات",
    nameEn: "Bayader Association for Camp Families",
    country: "LB",
    defaultCurrency: "USD",
    timeZone: "Asia/Beirut",
    legalName: "جمعية بيادر لرعاية الأسر في المخيمات (Bayader Association for Camp Families)",
    registrationNumber: "LB-NGO-0421/2016 (fictional)",
    missionAr: "ترافق بيادر الأسر في مخيمات جنوب لبنان وشماله: رسوم المدرسة والعلاج والإيجار، وأدوات عمل تعيد للأسرة دخلها.",
    missionEn: "Bayader stands with families in the camps of south and north Lebanon: school fees, treatment and rent, and work tools that bring a household's income back.",
    registeredWithAr: "وزارة الداخلية والبلديات، لبنان (علم وخبر رقم 421، وهمي)",
    registeredWithEn: "Ministry of Interior and Municipalities, Lebanon (notice no. 421, fictional)",
    foundedYear: 2016,
    payment: {
      bankName: "Banque Démo du Liban (fictional)",
      accountName: "Bayader Association for Camp Families",
      accountNumber: "LB00 0000 0000 0000 0000 1234 5678",
      swift: "DEMOLBBE",
      transferShopInstructionsAr: "أرسل الحوالة باسم «جمعية بيادر» عبر أي محل تحويل في صيدا أو صور، واذكر رمز المرجع في خانة الملاحظات.",
      transferShopInstructionsEn: "Send the transfer to “Bayader Association” through any money-transfer shop in Saida or Tyre, quoting the reference code in the notes.",
      officeInstructionsAr: "مكتب الجمعية في مخيم عين الحلوة، من الاثنين إلى الجمعة، ٩ صباحاً – ٢ ظهراً. اطلب إيصالاً يحمل رمز المرجع.",
      officeInstructionsEn: "The association's office in Ain al-Hilweh camp, Monday to Friday, 9:00–14:00. Ask for a receipt that carries the reference code.",
      pledgeExpiryDays: 7,
    },
    regions: [
      {
        nameAr: "محافظة الجنوب",
        nameEn: "South Lebanon",
        children: [
          {
            nameAr: "قضاء صيدا",
            nameEn: "Saida",
            children: [
              { nameAr: "مخيم عين الحلوة", nameEn: "Ein el-Hilweh camp" },
              { nameAr: "مخيم المية ومية", nameEn: "Mieh Mieh camp" },
            ],
          },
          {
            nameAr: "قضاء صور",
            nameEn: "Tyre",
            children: [
              { nameAr: "مخيم الرشيدية", nameEn: "Rashidieh camp" },
              { nameAr: "مخيم البرج الشمالي", nameEn: "Burj el-Shemali camp" },
              { nameAr: "مخيم البص", nameEn: "El Buss camp" },
            ],
          },
        ],
      },
      {
        nameAr: "محافظة بيروت",
        nameEn: "Beirut",
        children: [
          {
            nameAr: "بيروت",
            nameEn: "Beirut",
            children: [
              { nameAr: "مخيم شاتيلا", nameEn: "Shatila camp" },
              { nameAr: "مخيم مار الياس", nameEn: "Mar Elias camp" },
            ],
          },
        ],
      },
      {
        nameAr: "محافظة الشمال",
        nameEn: "North Lebanon",
        children: [
          {
            nameAr: "قضاء طرابلس",
            nameEn: "Tripoli",
            children: [{ nameAr: "مخيم البداوي", nameEn: "Beddawi camp" }],
          },
          {
            nameAr: "قضاء المنية-الضنية",
            nameEn: "Minieh-Danniyeh",
            children: [{ nameAr: "مخيم نهر البارد", nameEn: "Nahr el-Bared camp" }],
          },
        ],
      },
    ],
  },
  {
    slug: "shahba-social-affairs",
    nameAr: "مديرية الشهباء للشؤون الاجتماعية",
    nameEn: "Al-Shahba Social Affairs Directorate",
    country: "SY",
    defaultCurrency: "SYP",
    timeZone: "Asia/Damascus",
    legalName: "مديرية الشهباء للشؤون الاجتماعية (Al-Shahba Social Affairs Directorate)",
    registrationNumber: "SY-ALP-1187 (fictional)",
    missionAr: "تتابع المديرية الأسر الأشد حاجة في أحياء حلب وريفها: الغذاء والعلاج والتعليم، وإعادة فتح مصادر الرزق بعد النزوح.",
    missionEn: "The directorate follows the households in greatest need in Aleppo's neighbourhoods and countryside: food, treatment and schooling, and livelihoods reopened after displacement.",
    registeredWithAr: "وزارة الشؤون الاجتماعية والعمل، سوريا (وهمي)",
    registeredWithEn: "Ministry of Social Affairs and Labour, Syria (fictional)",
    foundedYear: 2011,
    payment: {
      bankName: "Demo Commercial Bank of Syria (fictional)",
      accountName: "Al-Shahba Social Affairs Association",
      accountNumber: "SY-DEMO-0000-4455-66",
      swift: null,
      transferShopInstructionsAr: "يمكن التحويل عبر شركات الحوالات المرخّصة في حلب باسم الجمعية، مع ذكر رمز المرجع.",
      transferShopInstructionsEn: "Transfers can be sent through licensed transfer companies in Aleppo to the association's name, quoting the reference code.",
      officeInstructionsAr: "مقر الجمعية في حي الشهباء، من الأحد إلى الخميس، ١٠ صباحاً – ٣ عصراً.",
      officeInstructionsEn: "The association's office in the Al-Shahba neighbourhood, Sunday to Thursday, 10:00–15:00.",
      pledgeExpiryDays: 10,
    },
    regions: [
      {
        nameAr: "محافظة حلب",
        nameEn: "Aleppo",
        children: [
          {
            nameAr: "منطقة جبل سمعان",
            nameEn: "Mount Simeon (Jabal Sam'an)",
            children: [
              { nameAr: "حي صلاح الدين", nameEn: "Salaheddine" },
              { nameAr: "حي الشعار", nameEn: "Al-Shaar" },
              { nameAr: "حي بستان القصر", nameEn: "Bustan al-Qasr" },
              { nameAr: "مخيم النيرب", nameEn: "Neirab camp" },
            ],
          },
          {
            nameAr: "منطقة السفيرة",
            nameEn: "As-Safira",
            children: [{ nameAr: "مدينة السفيرة", nameEn: "As-Safira town" }],
          },
        ],
      },
    ],
  },
  {
    slug: "sohag-palms",
    nameAr: "جمعية نخيل سوهاج للتنمية المجتمعية",
    nameEn: "Sohag Palms Community Development Association",
    country: "EG",
    defaultCurrency: "EGP",
    timeZone: "Africa/Cairo",
    legalName: "جمعية نخيل سوهاج للتنمية المجتمعية (Sohag Palms Community Development Association)",
    registrationNumber: "EG-MOSS-2209/2019 (fictional)",
    missionAr: "تعمل نخيل سوهاج مع أسر القرى في صعيد مصر: مصاريف الدراسة والعمليات الجراحية، ورؤوس ماشية وأدوات زراعية تصنع دخلاً دائماً.",
    missionEn: "Sohag Palms works with village families in Upper Egypt: school costs and surgery, and livestock and farm tools that make a lasting income.",
    registeredWithAr: "وزارة التضامن الاجتماعي، مصر (قيد رقم 2209، وهمي)",
    registeredWithEn: "Ministry of Social Solidarity, Egypt (registration no. 2209, fictional)",
    foundedYear: 2019,
    payment: {
      bankName: "Demo National Bank of Egypt (fictional)",
      accountName: "Sohag Palms Community Development Association",
      accountNumber: "EG00 0000 0000 0000 0000 9876 5432 1",
      swift: "DEMOEGCX",
      transferShopInstructionsAr: "التحويل عبر مكاتب البريد أو محافظ الهاتف باسم الجمعية، مع كتابة رمز المرجع.",
      transferShopInstructionsEn: "Transfer through post offices or mobile wallets to the association's name, writing the reference code.",
      officeInstructionsAr: "مقر الجمعية في مدينة سوهاج، من السبت إلى الخميس، ٩ صباحاً – ١ ظهراً.",
      officeInstructionsEn: "The association's office in Sohag city, Saturday to Thursday, 9:00–13:00.",
      pledgeExpiryDays: 7,
    },
    regions: [
      {
        nameAr: "محافظة سوهاج",
        nameEn: "Sohag",
        children: [
          {
            nameAr: "مركز سوهاج",
            nameEn: "Sohag markaz",
            children: [
              { nameAr: "مدينة سوهاج", nameEn: "Sohag city" },
              { nameAr: "حي الكوثر", nameEn: "Al-Kawthar" },
            ],
          },
          {
            nameAr: "مركز أخميم",
            nameEn: "Akhmim",
            children: [
              { nameAr: "مدينة أخميم", nameEn: "Akhmim city" },
              { nameAr: "قرية الحواويش", nameEn: "Al-Hawawish village" },
            ],
          },
          {
            nameAr: "مركز طهطا",
            nameEn: "Tahta",
            children: [{ nameAr: "مدينة طهطا", nameEn: "Tahta city" }],
          },
        ],
      },
      {
        nameAr: "محافظة أسيوط",
        nameEn: "Asyut",
        children: [
          {
            nameAr: "مركز أبنوب",
            nameEn: "Abnub",
            children: [{ nameAr: "مدينة أبنوب", nameEn: "Abnub city" }],
          },
        ],
      },
    ],
  },
];

export const DEMO_USERS: DemoUser[] = [
  {
    email: email("platform.admin"),
    displayName: "مسؤول المنصة",
    locale: "ar",
    isPlatformAdmin: true,
    note: "platform admin (onboards organisations)",
  },
  // Bayader (Lebanon, USD)
  {
    email: email("bayader.admin"),
    displayName: "رنا الخطيب",
    locale: "ar",
    memberships: [{ org: "bayader-camps", role: "org_admin" }],
    note: "org admin, Bayader (Lebanon)",
  },
  {
    email: email("bayader.caseworker"),
    displayName: "سامر يوسف",
    locale: "ar",
    memberships: [{ org: "bayader-camps", role: "caseworker" }],
    note: "caseworker, Bayader (Lebanon)",
  },
  {
    email: email("bayader.verifier"),
    displayName: "هالة درويش",
    locale: "ar",
    memberships: [{ org: "bayader-camps", role: "verifier" }],
    note: "verifier, Bayader (Lebanon)",
  },
  {
    email: email("bayader.finance"),
    displayName: "طارق عيسى",
    locale: "ar",
    memberships: [{ org: "bayader-camps", role: "finance" }],
    note: "finance officer, Bayader (Lebanon)",
  },
  {
    email: email("bayader.treasurer"),
    displayName: "نادين حداد",
    locale: "en",
    memberships: [{ org: "bayader-camps", role: "finance" }],
    note: "second finance officer, Bayader (Lebanon): approves what the first requests (four-eyes)",
  },
  // Al-Shahba (Syria, SYP)
  {
    email: email("shahba.admin"),
    displayName: "لمى الحلبي",
    locale: "ar",
    memberships: [{ org: "shahba-social-affairs", role: "org_admin" }],
    note: "org admin, Al-Shahba (Syria)",
  },
  {
    email: email("shahba.caseworker"),
    displayName: "بشير النجار",
    locale: "ar",
    memberships: [{ org: "shahba-social-affairs", role: "caseworker" }],
    note: "caseworker, Al-Shahba (Syria)",
  },
  {
    email: email("shahba.verifier"),
    displayName: "ريم قباني",
    locale: "ar",
    memberships: [{ org: "shahba-social-affairs", role: "verifier" }],
    note: "verifier, Al-Shahba (Syria)",
  },
  {
    email: email("shahba.finance"),
    displayName: "مازن الشامي",
    locale: "ar",
    memberships: [{ org: "shahba-social-affairs", role: "finance" }],
    note: "finance officer, Al-Shahba (Syria)",
  },
  // Sohag Palms (Egypt, EGP)
  {
    email: email("sohag.admin"),
    displayName: "منى عبد الرحيم",
    locale: "ar",
    memberships: [{ org: "sohag-palms", role: "org_admin" }],
    note: "org admin, Sohag Palms (Egypt)",
  },
  {
    email: email("sohag.caseworker"),
    displayName: "أحمد الصعيدي",
    locale: "ar",
    memberships: [{ org: "sohag-palms", role: "caseworker" }],
    note: "caseworker, Sohag Palms (Egypt)",
  },
  {
    email: email("sohag.verifier"),
    displayName: "نجلاء فهمي",
    locale: "ar",
    memberships: [{ org: "sohag-palms", role: "verifier" }],
    note: "verifier, Sohag Palms (Egypt)",
  },
  {
    email: email("sohag.finance"),
    displayName: "كريم منصور",
    locale: "ar",
    memberships: [{ org: "sohag-palms", role: "finance" }],
    note: "finance officer, Sohag Palms (Egypt)",
  },
  // One person in two organisations (switches between them).
  {
    email: email("coordinator"),
    displayName: "يوسف حداد",
    locale: "ar",
    memberships: [
      { org: "bayader-camps", role: "verifier" },
      { org: "shahba-social-affairs", role: "caseworker" },
    ],
    note: "in two organisations: verifier at Bayader, caseworker at Al-Shahba",
  },
  // Donors
  {
    email: email("donor.beirut"),
    displayName: "ليلى منصور",
    locale: "ar",
    note: "donor (Arabic)",
  },
  {
    email: email("donor.cairo"),
    displayName: "عمر فاروق",
    locale: "ar",
    note: "donor (Arabic)",
  },
  {
    email: email("donor.diaspora"),
    displayName: "Sara Haddad",
    locale: "en",
    note: "diaspora donor (English)",
  },
];

// ---------------------------------------------------------------- demo households and needs

/**
 * Who writes and who verifies the demo needs of each organisation (four-eyes: never the same
 * person). The e-mails are DEMO_USERS'.
 */
export const DEMO_CASE_STAFF: Record<string, { caseworker: string; verifier: string }> = {
  "bayader-camps": { caseworker: email("bayader.caseworker"), verifier: email("bayader.verifier") },
  "shahba-social-affairs": { caseworker: email("shahba.caseworker"), verifier: email("shahba.verifier") },
  "sohag-palms": { caseworker: email("sohag.caseworker"), verifier: email("sohag.verifier") },
};

export type DemoTag =
  | "female_headed"
  | "disability"
  | "chronic_illness"
  | "elderly_alone"
  | "orphan"
  | "unaccompanied_minor"
  | "pregnant_or_lactating"
  | "no_income"
  | "eviction_risk";
export type DemoRelation = "spouse" | "child" | "parent" | "sibling" | "grandchild" | "grandparent" | "other";
export type DemoIdKind = "national_id" | "unrwa" | "unhcr" | "other_id";
export type DemoNeedCategory =
  | "school_fees"
  | "medical_treatment"
  | "surgery"
  | "medication"
  | "in_kind_item"
  | "rent"
  | "food"
  | "livelihood_asset";
/** The state the seed leaves the need in (published: written by the caseworker, verified by the verifier). */
export type DemoNeedState = "draft" | "submitted" | "returned" | "published";

export interface DemoMember {
  fullName: string;
  sex: "female" | "male";
  /** Age at the seed date (the birth year is derived from it, so age bands stay true). */
  age: number;
  relation: DemoRelation;
  disability?: string;
  school?: "enrolled" | "not_enrolled" | "dropped_out";
}

export interface DemoNeed {
  category: DemoNeedCategory;
  urgency: "critical" | "high" | "normal";
  state: DemoNeedState;
  /** The verifier's reason, for a returned need. */
  returnReason?: string;
  /** Target in minor units of the organisation's currency (in-kind needs: the items' total). */
  targetMinor: number;
  items?: { labelAr: string; labelEn: string; quantity: number; unitCostMinor: number }[];
  /** Days after the seed date (1–5 months). */
  deadlineInDays: number;
  payeeKind: "school" | "hospital" | "pharmacy" | "vendor" | "household";
  /** Private: who is paid. */
  payeeName?: string;
  payeeDetails?: string;
  /** Public, anonymized: no names, phones, ID numbers, addresses, camps or neighbourhoods. */
  titleAr: string;
  titleEn: string;
  storyAr: string;
  storyEn: string;
  ageBand?: "0-4" | "5-11" | "12-17" | "18-29" | "30-59" | "60+";
  gender?: "female" | "male";
  /** Kafala: offered to one sponsor in this many monthly instalments. */
  sponsorshipMonths?: number;
}

export interface DemoHousehold {
  org: string;
  /** The head's full name: with the organisation, the household's stable marker for the seed. */
  head: { fullName: string; sex: "female" | "male"; age: number; disability?: string };
  members: DemoMember[];
  /** Local format of the organisation's country (or international). */
  phones: string[];
  ids: { kind: DemoIdKind; value: string }[];
  /** English names from the organisation's governorate down to the camp or neighbourhood. */
  region: [string, string, string];
  address: string;
  tags: DemoTag[];
  /** Registered this many days before the seed date; consent (if any) is given the same day. */
  registeredDaysAgo: number;
  consent: { publish: boolean; sharePartners: boolean } | null;
  needs: DemoNeed[];
}

/**
 * Fictional families (no real person): Palestinian refugee families in Lebanon's camps, families
 * of Aleppo and its countryside, families of Upper Egypt. The two records of the family of
 * «خالد محمود شهابي» (Bayader, Lebanon) and «خالد محمود الشهابي» (Al-Shahba, Syria) share an
 * UNRWA registration number: the family moved from Neirab camp to Lebanon, so both organisations
 * see the cross-organisation duplicate warning.
 */
export const DEMO_HOUSEHOLDS: DemoHousehold[] = [
  // ------------------------------------------------------------ Bayader (Lebanon, USD cents)
  {
    org: "bayader-camps",
    head: { fullName: "فاطمة خضر الشولي", sex: "female", age: 38 },
    members: [
      { fullName: "باسل خضر الشولي", sex: "male", age: 15, relation: "child", school: "enrolled" },
      { fullName: "جنى خضر الشولي", sex: "female", age: 12, relation: "child", school: "enrolled" },
      { fullName: "تيم خضر الشولي", sex: "male", age: 8, relation: "child", school: "enrolled" },
    ],
    phones: ["71 234 518"],
    ids: [{ kind: "unrwa", value: "1-0412-7738" }],
    region: ["South Lebanon", "Saida", "Ein el-Hilweh camp"],
    address: "حي الصفصاف، قرب فرن الكرمل",
    tags: ["female_headed"],
    registeredDaysAgo: 140,
    consent: { publish: true, sharePartners: false },
    needs: [
      {
        category: "school_fees",
        urgency: "normal",
        state: "published",
        targetMinor: 65_000,
        deadlineInDays: 60,
        payeeKind: "school",
        payeeName: "مدرسة الأفق الخاصة",
        payeeDetails: "تُدفع الأقساط إلى محاسب المدرسة مقابل إيصال.",
        titleAr: "أقساط مدرسية وكتب لثلاثة أطفال",
        titleEn: "School fees and books for three children",
        storyAr:
          "أمّ أرملة تعيل ثلاثة أطفال في أحد مخيمات اللاجئين الفلسطينيين في منطقة صيدا. يحتاج الأطفال إلى الأقساط المدرسية والكتب والزي المدرسي لهذا العام الدراسي، وتُدفع الأقساط مباشرة إلى المدرسة.",
        storyEn:
          "A widowed mother raises three children in a Palestinian refugee camp in the Saida area. The children need school fees, books and uniforms for this school year; the fees are paid directly to the school.",
        ageBand: "5-11",
      },
      {
        category: "in_kind_item",
        urgency: "high",
        state: "published",
        targetMinor: 43_500,
        items: [
          { labelAr: "ماكينة خياطة", labelEn: "Sewing machine", quantity: 1, unitCostMinor: 28_000 },
          { labelAr: "طاولة قص وكرسي", labelEn: "Cutting table and chair", quantity: 1, unitCostMinor: 6_500 },
          { labelAr: "أقمشة وخيوط ومستلزمات خياطة", labelEn: "Fabric, thread and sewing supplies", quantity: 1, unitCostMinor: 9_000 },
        ],
        deadlineInDays: 75,
        payeeKind: "vendor",
        payeeName: "محل الأمانة لماكينات الخياطة",
        titleAr: "ماكينة خياطة لأمّ تبدأ عملاً من المنزل",
        titleEn: "A sewing machine for a mother starting work from home",
        storyAr:
          "أمّ تعيل أطفالها وحدها أتمّت دورة في الخياطة، وتريد أن تعمل من المنزل لتأمين دخل ثابت للأسرة. تحتاج إلى ماكينة خياطة وطاولة قص وأقمشة لتبدأ باستقبال طلبات الجيران.",
        storyEn:
          "A mother raising her children alone has finished a tailoring course and wants to work from home for a steady income. She needs a sewing machine, a cutting table and fabric to start taking orders from neighbours.",
        ageBand: "30-59",
        gender: "female",
      },
      {
        category: "medical_treatment",
        urgency: "normal",
        state: "draft",
        targetMinor: 16_000,
        deadlineInDays: 90,
        payeeKind: "hospital",
        payeeName: "عيادة الأسنان في مركز الجمعية",
        titleAr: "علاج أسنان لطفلة في الثانية عشرة",
        titleEn: "Dental treatment for a 12-year-old girl",
        storyAr: "طفلة في الثانية عشرة تحتاج إلى علاج عدة أضراس ملتهبة تسبب لها ألماً وتغيباً عن المدرسة.",
        storyEn: "A 12-year-old girl needs several inflamed teeth treated; the pain keeps her out of school.",
        ageBand: "12-17",
        gender: "female",
      },
    ],
  },
  {
    org: "bayader-camps",
    head: { fullName: "توفيق يوسف الحاج", sex: "male", age: 66, disability: "قصور في القلب" },
    members: [
      { fullName: "خديجة أحمد الحاج", sex: "female", age: 61, relation: "spouse" },
      { fullName: "ياسر مروان الحاج", sex: "male", age: 14, relation: "grandchild", school: "enrolled" },
    ],
    phones: ["76 418 302"],
    ids: [{ kind: "unrwa", value: "1-0377-9024" }],
    region: ["South Lebanon", "Tyre", "Rashidieh camp"],
    address: "حي جبل الشيخ، قرب دكان أبو رامي",
    tags: ["chronic_illness"],
    registeredDaysAgo: 210,
    consent: { publish: true, sharePartners: false },
    needs: [
      {
        category: "medication",
        urgency: "high",
        state: "published",
        targetMinor: 48_000,
        deadlineInDays: 45,
        payeeKind: "pharmacy",
        payeeName: "صيدلية النخلة",
        titleAr: "أدوية السكري والقلب لستة أشهر لرجل مسنّ",
        titleEn: "Six months of diabetes and heart medication for an elderly man",
        storyAr:
          "رجل في السادسة والستين مصاب بالسكري وقصور في القلب، يعيش مع زوجته وحفيده في مخيم للاجئين قرب صور. لا تغطي الخدمات الصحية المتاحة كل أدويته فيضطر إلى تقليل الجرعات. يغطي هذا الاحتياج أدويته لستة أشهر من صيدلية متعاقدة مع الجمعية.",
        storyEn:
          "A 66-year-old man with diabetes and heart failure lives with his wife and grandson in a refugee camp near Tyre. The health services available do not cover all his medicines, so he cuts his doses. This need covers six months of medicine from a pharmacy the association works with.",
        ageBand: "60+",
        gender: "male",
      },
      {
        category: "surgery",
        urgency: "critical",
        state: "published",
        targetMinor: 240_000,
        deadlineInDays: 30,
        payeeKind: "hospital",
        payeeName: "مستشفى الشفاء التخصصي",
        payeeDetails: "تحويل إلى حساب المستشفى بعد تقديم عرض السعر النهائي.",
        titleAr: "عملية قسطرة قلبية عاجلة",
        titleEn: "Urgent cardiac catheterisation",
        storyAr:
          "أوصى طبيب القلب بإجراء قسطرة قلبية خلال الأسابيع القادمة لرجل مسنّ من اللاجئين الفلسطينيين في جنوب لبنان. تغطي الأونروا جزءاً من الكلفة، ويغطي هذا الاحتياج الجزء المتبقي ويُدفع مباشرة إلى المستشفى.",
        storyEn:
          "A cardiologist has asked for a cardiac catheterisation within weeks for an elderly Palestinian refugee in South Lebanon. UNRWA covers part of the cost; this need covers the rest and is paid directly to the hospital.",
        ageBand: "60+",
        gender: "male",
      },
    ],
  },
  {
    org: "bayader-camps",
    head: { fullName: "وائل بكري قطان", sex: "male", age: 40, disability: "إصابة في العمود الفقري" },
    members: [
      { fullName: "سوسن مصطفى قطان", sex: "female", age: 34, relation: "spouse" },
      { fullName: "ليان وائل قطان", sex: "female", age: 6, relation: "child", school: "enrolled" },
      { fullName: "زين وائل قطان", sex: "male", age: 3, relation: "child" },
    ],
    phones: ["81 602 447"],
    ids: [{ kind: "unhcr", value: "LEB-17C09314" }],
    region: ["Beirut", "Beirut", "Shatila camp"],
    address: "زاروب حمد، بناية المصري",
    tags: ["disability", "eviction_risk"],
    registeredDaysAgo: 95,
    consent: { publish: true, sharePartners: true },
    needs: [
      {
        category: "in_kind_item",
        urgency: "high",
        state: "published",
        targetMinor: 26_500,
        items: [
          { labelAr: "كرسي متحرك خفيف قابل للطي", labelEn: "Lightweight folding wheelchair", quantity: 1, unitCostMinor: 22_000 },
          { labelAr: "وسادة طبية تمنع تقرّح الجلد", labelEn: "Pressure-relief cushion", quantity: 1, unitCostMinor: 4_500 },
        ],
        deadlineInDays: 40,
        payeeKind: "vendor",
        payeeName: "مؤسسة العون للمعدات الطبية",
        titleAr: "كرسي متحرك لأب أصيب في ظهره",
        titleEn: "A wheelchair for a father with a spinal injury",
        storyAr:
          "أب لطفلين، لاجئ من سوريا يقيم في بيروت، أصيب في ظهره في حادث عمل ولم يعد قادراً على المشي مسافات طويلة. يساعده الكرسي المتحرك على الخروج ومتابعة جلسات العلاج الفيزيائي.",
        storyEn:
          "A father of two, a refugee from Syria living in Beirut, injured his back in a work accident and can no longer walk far. A wheelchair lets him go out and keep up his physiotherapy sessions.",
        ageBand: "30-59",
        gender: "male",
      },
      {
        category: "rent",
        urgency: "critical",
        state: "published",
        targetMinor: 120_000,
        deadlineInDays: 35,
        payeeKind: "vendor",
        payeeName: "مالك الشقة (عقد إيجار موثّق لدى الجمعية)",
        titleAr: "بدل إيجار ستة أشهر لأسرة مهددة بالإخلاء",
        titleEn: "Six months' rent for a family facing eviction",
        storyAr:
          "تراكم على أسرة لاجئة من أربعة أفراد إيجار ثلاثة أشهر بعد إصابة الأب وتوقفه عن العمل، وأنذرها المالك بالإخلاء. يغطي هذا الاحتياج المتأخرات وإيجار الأشهر الثلاثة القادمة، ويُدفع مباشرة إلى المالك.",
        storyEn:
          "A refugee family of four owes three months' rent since the father was injured and stopped working, and the landlord has warned them of eviction. This need covers the arrears and the next three months, paid directly to the landlord.",
      },
    ],
  },
  {
    org: "bayader-camps",
    head: { fullName: "وداد سليم الخطيب", sex: "female", age: 73, disability: "التهاب مفاصل مزمن" },
    members: [],
    phones: ["03 527 914"],
    ids: [{ kind: "unrwa", value: "1-0209-4415" }],
    region: ["South Lebanon", "Saida", "Mieh Mieh camp"],
    address: "الحي الغربي، قرب الملعب",
    tags: ["elderly_alone", "chronic_illness"],
    registeredDaysAgo: 60,
    consent: { publish: true, sharePartners: false },
    needs: [
      {
        category: "food",
        urgency: "normal",
        state: "submitted",
        targetMinor: 18_000,
        deadlineInDays: 50,
        payeeKind: "vendor",
        payeeName: "التعاونية الاستهلاكية",
        titleAr: "سلة غذائية شهرية لثلاثة أشهر لامرأة مسنّة تعيش وحدها",
        titleEn: "Monthly food parcels for three months for an elderly woman living alone",
        storyAr:
          "امرأة في الثالثة والسبعين تعيش وحدها في أحد مخيمات صيدا، ولا دخل لها سوى مساعدات متقطعة. تؤمّن السلة الشهرية الأرز والعدس والزيت والسكر والحليب.",
        storyEn:
          "A 73-year-old woman lives alone in a camp in the Saida area with no income but occasional aid. The monthly parcel brings rice, lentils, oil, sugar and milk.",
        ageBand: "60+",
        gender: "female",
      },
      {
        category: "medication",
        urgency: "normal",
        state: "returned",
        returnReason: "يرجى إرفاق وصفة طبية حديثة وتحديد مدة العلاج وكلفة كل دواء.",
        targetMinor: 9_500,
        deadlineInDays: 70,
        payeeKind: "pharmacy",
        payeeName: "صيدلية النخلة",
        titleAr: "أدوية ضغط ومفاصل لامرأة مسنّة",
        titleEn: "Blood-pressure and joint medicine for an elderly woman",
        storyAr: "امرأة مسنّة تعيش وحدها تحتاج إلى أدوية الضغط ومسكنات لآلام المفاصل لعدة أشهر.",
        storyEn: "An elderly woman living alone needs blood-pressure medicine and joint pain relief for several months.",
        ageBand: "60+",
        gender: "female",
      },
    ],
  },
  {
    org: "bayader-camps",
    head: { fullName: "خالد محمود شهابي", sex: "male", age: 45 },
    members: [
      { fullName: "سمر فايز شهابي", sex: "female", age: 39, relation: "spouse" },
      { fullName: "أنس خالد شهابي", sex: "male", age: 17, relation: "child", school: "dropped_out" },
      { fullName: "تالا خالد شهابي", sex: "female", age: 10, relation: "child", school: "enrolled" },
    ],
    phones: ["70 913 226"],
    ids: [{ kind: "unrwa", value: "2-0614-3377" }],
    region: ["North Lebanon", "Tripoli", "Beddawi camp"],
    address: "حي الصاعقة، قرب ملحمة فادي",
    tags: ["no_income"],
    registeredDaysAgo: 30,
    consent: { publish: true, sharePartners: true },
    needs: [
      {
        category: "livelihood_asset",
        urgency: "normal",
        state: "published",
        targetMinor: 85_000,
        deadlineInDays: 120,
        payeeKind: "vendor",
        payeeName: "ورشة الشمال للحدادة",
        titleAr: "عربة وميزان لبيع الخضار لأب يبحث عن دخل ثابت",
        titleEn: "A vegetable cart and scales for a father seeking a steady income",
        storyAr:
          "أب لطفلين من فلسطينيي سوريا، لجأت أسرته إلى شمال لبنان ويعمل باليومية حين يجد عملاً. يريد أن يبدأ ببيع الخضار في سوق المخيم، ويحتاج إلى عربة وميزان وبضاعة أولى.",
        storyEn:
          "A father of two, a Palestinian refugee from Syria whose family fled to North Lebanon, works as a day labourer when he can. He wants to sell vegetables at the camp market and needs a cart, scales and a first stock.",
        ageBand: "30-59",
        gender: "male",
      },
      {
        category: "school_fees",
        urgency: "high",
        state: "submitted",
        targetMinor: 35_000,
        deadlineInDays: 55,
        payeeKind: "school",
        payeeName: "معهد التدريب المهني",
        titleAr: "دورة مهنية في صيانة الهواتف لشاب ترك المدرسة",
        titleEn: "A phone-repair course for a teenager who dropped out of school",
        storyAr:
          "شاب في السابعة عشرة ترك المدرسة بعد لجوء أسرته من سوريا. يريد أن يتعلم صيانة الهواتف في معهد مهني ليساعد أسرته، وتُدفع الرسوم مباشرة إلى المعهد.",
        storyEn:
          "A 17-year-old dropped out of school when his family fled Syria. He wants to learn phone repair at a vocational institute to help his family; the fees are paid directly to the institute.",
        ageBand: "12-17",
        gender: "male",
      },
    ],
  },

  // ------------------------------------------------------------ Al-Shahba (Syria, SYP: no minor digits)
  {
    org: "shahba-social-affairs",
    head: { fullName: "خالد محمود الشهابي", sex: "male", age: 45 },
    members: [
      { fullName: "سمر فايز الشهابي", sex: "female", age: 39, relation: "spouse" },
      { fullName: "أنس خالد الشهابي", sex: "male", age: 17, relation: "child", school: "enrolled" },
      { fullName: "تالا خالد الشهابي", sex: "female", age: 10, relation: "child", school: "enrolled" },
    ],
    phones: ["0944 318 265"],
    ids: [{ kind: "unrwa", value: "2-0614-3377" }],
    region: ["Aleppo", "Mount Simeon (Jabal Sam'an)", "Neirab camp"],
    address: "الحارة الشمالية، جانب فرن أبو عماد",
    tags: [],
    registeredDaysAgo: 420,
    consent: { publish: true, sharePartners: true },
    needs: [
      {
        category: "food",
        urgency: "normal",
        state: "draft",
        targetMinor: 900_000,
        deadlineInDays: 60,
        payeeKind: "vendor",
        payeeName: "المؤسسة السورية للتجارة",
        titleAr: "سلة غذائية شهرية لأسرة من أربعة أفراد",
        titleEn: "A monthly food parcel for a family of four",
        storyAr: "أسرة من أربعة أفراد من اللاجئين الفلسطينيين في حلب تحتاج إلى سلة غذائية شهرية لثلاثة أشهر.",
        storyEn: "A Palestinian refugee family of four in Aleppo needs a monthly food parcel for three months.",
      },
    ],
  },
  {
    org: "shahba-social-affairs",
    head: { fullName: "ياسين مصطفى بكور", sex: "male", age: 48 },
    members: [
      { fullName: "هيفاء خالد بكور", sex: "female", age: 44, relation: "spouse" },
      { fullName: "شهد ياسين بكور", sex: "female", age: 16, relation: "child", school: "enrolled" },
      { fullName: "حمزة ياسين بكور", sex: "male", age: 11, relation: "child", school: "enrolled", disability: "عيب خلقي في صمام القلب" },
      { fullName: "قصي ياسين بكور", sex: "male", age: 7, relation: "child", school: "enrolled" },
    ],
    phones: ["0933 702 418"],
    ids: [{ kind: "national_id", value: "02010457813" }],
    region: ["Aleppo", "Mount Simeon (Jabal Sam'an)", "Salaheddine"],
    address: "شارع الإذاعة، بناية بكور",
    tags: ["chronic_illness"],
    registeredDaysAgo: 180,
    consent: { publish: true, sharePartners: false },
    needs: [
      {
        category: "surgery",
        urgency: "critical",
        state: "published",
        targetMinor: 12_000_000,
        deadlineInDays: 45,
        payeeKind: "hospital",
        payeeName: "مشفى الشهباء التخصصي",
        payeeDetails: "يُدفع المبلغ إلى محاسبة المشفى بعد تقديم الفاتورة.",
        titleAr: "عملية قلب لطفل في الحادية عشرة",
        titleEn: "Heart surgery for an 11-year-old boy",
        storyAr:
          "طفل في الحادية عشرة يعاني من عيب خلقي في صمام القلب، وأوصى الأطباء بعملية جراحية خلال شهرين. الأب عامل مياوم والأسرة لا تستطيع تحمّل الكلفة، ويُدفع المبلغ مباشرة إلى المستشفى.",
        storyEn:
          "An 11-year-old boy has a congenital heart-valve defect and his doctors want to operate within two months. His father is a day labourer and the family cannot meet the cost; the money is paid directly to the hospital.",
        ageBand: "5-11",
        gender: "male",
      },
      {
        category: "school_fees",
        urgency: "normal",
        state: "published",
        targetMinor: 1_800_000,
        deadlineInDays: 100,
        payeeKind: "school",
        payeeName: "معهد الرواد للدروس الخاصة",
        titleAr: "دروس تقوية وكتب لطالبة في المرحلة الثانوية",
        titleEn: "Tutoring and books for a secondary-school girl",
        storyAr:
          "طالبة متفوقة في السادسة عشرة تستعد لامتحانات الشهادة الثانوية، وتحتاج إلى دروس تقوية في الرياضيات والفيزياء وكتب ومستلزمات دراسية.",
        storyEn:
          "A bright 16-year-old is preparing for her secondary-school exams and needs tutoring in mathematics and physics, books and supplies.",
        ageBand: "12-17",
        gender: "female",
      },
    ],
  },
  {
    org: "shahba-social-affairs",
    head: { fullName: "نادية عبد الرزاق حلاق", sex: "female", age: 41 },
    members: [
      { fullName: "عبير معن حلاق", sex: "female", age: 19, relation: "child" },
      { fullName: "طارق معن حلاق", sex: "male", age: 14, relation: "child", school: "enrolled" },
    ],
    phones: ["0955 216 847"],
    ids: [{ kind: "national_id", value: "02020381164" }],
    region: ["Aleppo", "Mount Simeon (Jabal Sam'an)", "Al-Shaar"],
    address: "جادة الخندق، بناية حلاق",
    tags: ["female_headed"],
    registeredDaysAgo: 150,
    consent: { publish: true, sharePartners: false },
    needs: [
      {
        category: "livelihood_asset",
        urgency: "high",
        state: "published",
        targetMinor: 4_500_000,
        deadlineInDays: 80,
        payeeKind: "vendor",
        payeeName: "محلات الأمل للأدوات المنزلية",
        titleAr: "فرن وعجّانة لمشروع معجنات منزلي",
        titleEn: "An oven and dough mixer for a home pastry business",
        storyAr:
          "أمّ أرملة وابنتها الشابة تصنعان المعجنات والكبّة في المنزل وتبيعانها للجيران والمحلات القريبة. تحتاجان إلى فرن غاز كبير وعجّانة وأدوات لزيادة الإنتاج وتأمين دخل منتظم للأسرة.",
        storyEn:
          "A widowed mother and her young daughter make pastries and kibbeh at home and sell them to neighbours and nearby shops. They need a large gas oven, a dough mixer and tools to produce more and earn a regular income.",
        ageBand: "18-29",
        gender: "female",
      },
      {
        category: "rent",
        urgency: "critical",
        state: "published",
        targetMinor: 3_600_000,
        deadlineInDays: 30,
        payeeKind: "vendor",
        payeeName: "مالك المنزل (عقد إيجار مصدّق)",
        titleAr: "بدل إيجار ستة أشهر لأسرة تعيلها أمّ أرملة",
        titleEn: "Six months' rent for a family headed by a widow",
        storyAr:
          "أسرة من ثلاثة أفراد تعيلها أمّ أرملة في مدينة حلب، ارتفع إيجار مسكنها ولم تعد قادرة على دفعه. يغطي هذا الاحتياج إيجار ستة أشهر ويُدفع مباشرة إلى المالك.",
        storyEn:
          "A family of three headed by a widow in Aleppo can no longer pay its rent after an increase. This need covers six months and is paid directly to the landlord.",
      },
      {
        category: "school_fees",
        urgency: "normal",
        state: "returned",
        returnReason: "يرجى إرفاق إفادة التسجيل في المدرسة وقائمة الرسوم المطلوبة.",
        targetMinor: 900_000,
        deadlineInDays: 90,
        payeeKind: "school",
        payeeName: "مدرسة خاصة (الاسم في الملف)",
        titleAr: "رسوم مدرسية ولباس مدرسي لطالب في الرابعة عشرة",
        titleEn: "School fees and uniform for a 14-year-old boy",
        storyAr: "طالب في الرابعة عشرة يحتاج إلى الرسوم المدرسية واللباس والقرطاسية ليكمل عامه الدراسي.",
        storyEn: "A 14-year-old boy needs school fees, a uniform and stationery to finish his school year.",
        ageBand: "12-17",
        gender: "male",
      },
    ],
  },
  {
    org: "shahba-social-affairs",
    head: { fullName: "رضوان فاروق الدبس", sex: "male", age: 69, disability: "سكري معتمد على الأنسولين" },
    members: [{ fullName: "سعاد رشيد الدبس", sex: "female", age: 64, relation: "spouse", disability: "شلل نصفي بعد جلطة دماغية" }],
    phones: ["0988 431 507"],
    ids: [{ kind: "national_id", value: "02030192247" }],
    region: ["Aleppo", "Mount Simeon (Jabal Sam'an)", "Bustan al-Qasr"],
    address: "قرب جامع الإيمان، بناية الدبس",
    tags: ["chronic_illness", "disability"],
    registeredDaysAgo: 240,
    consent: { publish: true, sharePartners: false },
    needs: [
      {
        category: "medication",
        urgency: "high",
        state: "published",
        targetMinor: 1_500_000,
        deadlineInDays: 40,
        payeeKind: "pharmacy",
        payeeName: "صيدلية الشفاء",
        titleAr: "أنسولين وأدوية ضغط لستة أشهر لرجل مسنّ",
        titleEn: "Six months of insulin and blood-pressure medicine for an elderly man",
        storyAr:
          "رجل في التاسعة والستين مصاب بالسكري ويحتاج إلى الأنسولين يومياً، ويرعى زوجته المريضة. لا يكفي راتبه التقاعدي لثمن الأدوية، ويغطي هذا الاحتياج ستة أشهر منها.",
        storyEn:
          "A 69-year-old man with diabetes needs insulin every day and cares for his sick wife. His pension does not cover the medicine; this need covers six months of it.",
        ageBand: "60+",
        gender: "male",
      },
      {
        category: "in_kind_item",
        urgency: "high",
        state: "published",
        targetMinor: 4_050_000,
        items: [
          { labelAr: "سرير طبي يدوي", labelEn: "Manual hospital bed", quantity: 1, unitCostMinor: 3_200_000 },
          { labelAr: "فرشة هوائية طبية", labelEn: "Medical air mattress", quantity: 1, unitCostMinor: 850_000 },
        ],
        deadlineInDays: 50,
        payeeKind: "vendor",
        payeeName: "شركة المعدات الطبية الحديثة",
        titleAr: "سرير طبي وفرشة هوائية لامرأة مسنّة طريحة الفراش",
        titleEn: "A hospital bed and air mattress for a bedridden elderly woman",
        storyAr:
          "امرأة في الرابعة والستين أصيبت بشلل نصفي بعد جلطة دماغية، ويرعاها زوجها المسنّ. يخفف السرير الطبي والفرشة الهوائية آلامها ويقيها من تقرّحات الجلد.",
        storyEn:
          "A 64-year-old woman is partly paralysed after a stroke and is cared for by her elderly husband. A hospital bed and an air mattress ease her pain and prevent bedsores.",
        ageBand: "60+",
        gender: "female",
      },
      {
        category: "medical_treatment",
        urgency: "normal",
        state: "submitted",
        targetMinor: 2_400_000,
        deadlineInDays: 65,
        payeeKind: "hospital",
        payeeName: "مركز العلاج الفيزيائي",
        titleAr: "جلسات علاج فيزيائي بعد جلطة دماغية",
        titleEn: "Physiotherapy sessions after a stroke",
        storyAr: "امرأة مسنّة تحتاج إلى عشرين جلسة علاج فيزيائي لتستعيد بعض الحركة في ذراعها وساقها بعد جلطة دماغية.",
        storyEn: "An elderly woman needs twenty physiotherapy sessions to regain some movement in her arm and leg after a stroke.",
        ageBand: "60+",
        gender: "female",
      },
    ],
  },
  {
    org: "shahba-social-affairs",
    head: { fullName: "حمود عيسى العبيد", sex: "male", age: 50 },
    members: [
      { fullName: "فضة أحمد العبيد", sex: "female", age: 46, relation: "spouse" },
      { fullName: "عيسى حمود العبيد", sex: "male", age: 20, relation: "child" },
      { fullName: "رحاب حمود العبيد", sex: "female", age: 15, relation: "child", school: "dropped_out" },
      { fullName: "بدر حمود العبيد", sex: "male", age: 12, relation: "child", school: "enrolled" },
    ],
    phones: ["0991 624 083"],
    ids: [{ kind: "national_id", value: "02050763318" }],
    region: ["Aleppo", "As-Safira", "As-Safira town"],
    address: "حارة البوابة، جانب المطحنة",
    tags: ["no_income"],
    registeredDaysAgo: 75,
    consent: { publish: true, sharePartners: false },
    needs: [
      {
        category: "livelihood_asset",
        urgency: "normal",
        state: "published",
        targetMinor: 7_500_000,
        deadlineInDays: 150,
        payeeKind: "vendor",
        payeeName: "تاجر مواشٍ معتمد لدى المديرية",
        titleAr: "قطيع صغير من الماعز لأسرة ريفية عائدة",
        titleEn: "A small goat herd for a rural family that has returned home",
        storyAr:
          "عادت أسرة ريفية من خمسة أفراد إلى بلدتها في ريف حلب الشرقي بعد سنوات من النزوح، وقد فقدت مواشيها خلال الحرب. خمس عنزات تؤمّن الحليب واللبن للأسرة ودخلاً من بيع الفائض.",
        storyEn:
          "A rural family of five has come back to its home in the eastern Aleppo countryside after years of displacement, having lost its livestock in the war. Five goats give the family milk and yoghurt and an income from selling the surplus.",
      },
      {
        category: "livelihood_asset",
        urgency: "high",
        state: "submitted",
        targetMinor: 2_800_000,
        deadlineInDays: 35,
        payeeKind: "vendor",
        payeeName: "الجمعية الفلاحية",
        titleAr: "أدوات زراعية وبذار لموسم القمح",
        titleEn: "Farm tools and seed for the wheat season",
        storyAr: "يحتاج أب لأربعة أبناء إلى محراث يدوي ومعاول وبذار قمح ليزرع أرضاً صغيرة استأجرها قبل بدء الموسم.",
        storyEn: "A father of four needs a hand plough, hoes and wheat seed to sow a small plot he has rented before the season starts.",
        ageBand: "30-59",
        gender: "male",
      },
    ],
  },

  // ------------------------------------------------------------ Sohag Palms (Egypt, EGP piastres)
  {
    org: "sohag-palms",
    head: { fullName: "زينب عبد الموجود حسانين", sex: "female", age: 36 },
    members: [
      { fullName: "مريم محمود حسانين", sex: "female", age: 13, relation: "child", school: "enrolled" },
      { fullName: "يوسف محمود حسانين", sex: "male", age: 10, relation: "child", school: "enrolled" },
      { fullName: "شيماء محمود حسانين", sex: "female", age: 6, relation: "child", school: "enrolled" },
    ],
    phones: ["010 2468 3517"],
    ids: [{ kind: "national_id", value: "28703152601843" }],
    region: ["Sohag", "Akhmim", "Al-Hawawish village"],
    address: "نجع الشيخ عثمان",
    tags: ["female_headed", "no_income"],
    registeredDaysAgo: 160,
    consent: { publish: true, sharePartners: false },
    needs: [
      {
        category: "livelihood_asset",
        urgency: "normal",
        state: "published",
        targetMinor: 3_800_000,
        deadlineInDays: 120,
        payeeKind: "vendor",
        payeeName: "سوق الماشية الأسبوعي (تاجر معتمد)",
        titleAr: "جاموسة حلوب لأمّ تعيل ثلاثة أطفال",
        titleEn: "A dairy buffalo for a mother raising three children",
        storyAr:
          "أمّ أرملة في ريف سوهاج تعيل ثلاثة أطفال بلا دخل ثابت. جاموسة حلوب توفر الحليب للأطفال ودخلاً يومياً من بيع الحليب والجبن، بمتابعة من الجمعية.",
        storyEn:
          "A widowed mother in rural Sohag raises three children without a steady income. A dairy buffalo gives the children milk and a daily income from selling milk and cheese, with the association's follow-up.",
        ageBand: "30-59",
        gender: "female",
      },
      {
        category: "school_fees",
        urgency: "normal",
        state: "published",
        targetMinor: 320_000,
        deadlineInDays: 45,
        payeeKind: "school",
        payeeName: "مدرسة إعدادية حكومية",
        titleAr: "مصروفات الدراسة والزي المدرسي لطالبة في المرحلة الإعدادية",
        titleEn: "School costs and uniform for a preparatory-school girl",
        storyAr: "طالبة في الثالثة عشرة تحب الدراسة وتحتاج إلى مصروفات المدرسة والزي والكتب الخارجية حتى لا تنقطع عن التعليم.",
        storyEn: "A 13-year-old girl who loves school needs her school costs, uniform and study books so that she does not drop out.",
        ageBand: "12-17",
        gender: "female",
      },
      {
        category: "in_kind_item",
        urgency: "high",
        state: "submitted",
        targetMinor: 360_000,
        items: [
          { labelAr: "بطانية شتوية", labelEn: "Winter blanket", quantity: 4, unitCostMinor: 45_000 },
          { labelAr: "جاكيت شتوي لطفل", labelEn: "Child's winter jacket", quantity: 3, unitCostMinor: 60_000 },
        ],
        deadlineInDays: 30,
        payeeKind: "vendor",
        payeeName: "محل ملابس في المركز",
        titleAr: "بطاطين وملابس شتوية لأمّ وثلاثة أطفال",
        titleEn: "Blankets and winter clothes for a mother and three children",
        storyAr: "يقترب الشتاء وليس لدى الأسرة ما يكفي من الأغطية. تحتاج الأمّ إلى أربع بطاطين وثلاثة جاكيتات لأطفالها.",
        storyEn: "Winter is coming and the family does not have enough covers. The mother needs four blankets and three jackets for her children.",
      },
    ],
  },
  {
    org: "sohag-palms",
    head: { fullName: "عبد الفتاح رمضان عبد العال", sex: "male", age: 58 },
    members: [
      { fullName: "سعدية حامد عبد العال", sex: "female", age: 54, relation: "spouse" },
      { fullName: "مصطفى عبد الفتاح عبد العال", sex: "male", age: 24, relation: "child" },
    ],
    phones: ["011 5823 0946"],
    ids: [{ kind: "national_id", value: "26610152600427" }],
    region: ["Sohag", "Sohag markaz", "Al-Kawthar"],
    address: "حي الكوثر، عمارات الإسكان، عمارة ١٤",
    tags: ["chronic_illness"],
    registeredDaysAgo: 110,
    consent: { publish: true, sharePartners: false },
    needs: [
      {
        category: "surgery",
        urgency: "critical",
        state: "published",
        targetMinor: 1_600_000,
        deadlineInDays: 40,
        payeeKind: "hospital",
        payeeName: "مستشفى النور التخصصي للعيون",
        titleAr: "عملية إزالة المياه البيضاء من العينين",
        titleEn: "Cataract surgery on both eyes",
        storyAr:
          "رجل في الثامنة والخمسين فقد معظم بصره بسبب المياه البيضاء، ولم يعد قادراً على العمل حارساً. العملية في العينين تعيد إليه بصره وعمله، وتُدفع الكلفة مباشرة إلى المستشفى.",
        storyEn:
          "A 58-year-old man has lost most of his sight to cataracts and can no longer work as a watchman. Surgery on both eyes would give him back his sight and his job; the cost is paid directly to the hospital.",
        ageBand: "30-59",
        gender: "male",
      },
      {
        category: "medication",
        urgency: "high",
        state: "published",
        targetMinor: 720_000,
        deadlineInDays: 60,
        payeeKind: "pharmacy",
        payeeName: "صيدلية الشفاء",
        titleAr: "أقلام أنسولين لستة أشهر",
        titleEn: "Six months of insulin pens",
        storyAr: "رجل مصاب بالسكري منذ سنوات يحتاج إلى أقلام الأنسولين وشرائط قياس السكر لستة أشهر، بعد أن ارتفعت أسعارها كثيراً.",
        storyEn: "A man who has had diabetes for years needs insulin pens and test strips for six months, now that their prices have risen sharply.",
        ageBand: "30-59",
        gender: "male",
      },
    ],
  },
  {
    org: "sohag-palms",
    head: { fullName: "مينا عزيز بشاي", sex: "male", age: 47, disability: "إصابة في أسفل الظهر" },
    members: [
      { fullName: "ماري صبحي يوسف", sex: "female", age: 43, relation: "spouse" },
      { fullName: "جورج مينا عزيز", sex: "male", age: 16, relation: "child", school: "enrolled" },
      { fullName: "مارينا مينا عزيز", sex: "female", age: 12, relation: "child", school: "enrolled" },
    ],
    phones: ["012 7341 2085"],
    ids: [{ kind: "national_id", value: "27908122600915" }],
    region: ["Sohag", "Akhmim", "Akhmim city"],
    address: "شارع الكنيسة، عطفة بشاي",
    tags: ["disability"],
    registeredDaysAgo: 90,
    consent: { publish: true, sharePartners: false },
    needs: [
      {
        category: "in_kind_item",
        urgency: "normal",
        state: "published",
        targetMinor: 2_250_000,
        items: [
          { labelAr: "نول نسيج يدوي", labelEn: "Handloom", quantity: 1, unitCostMinor: 1_800_000 },
          { labelAr: "غزل قطني ملوّن", labelEn: "Dyed cotton yarn", quantity: 1, unitCostMinor: 450_000 },
        ],
        deadlineInDays: 100,
        payeeKind: "vendor",
        payeeName: "ورشة نجارة الأنوال",
        titleAr: "نول نسيج يدوي لأمّ تتقن النسيج التقليدي",
        titleEn: "A handloom for a mother skilled in traditional weaving",
        storyAr:
          "في صعيد مصر، حيث يشتهر الناس بالنسيج اليدوي، تتقن أمّ لطفلين هذه الحرفة لكنها لا تملك نولاً. الأب لم يعد قادراً على العمل الشاق بعد إصابة في ظهره، والنول يمنح الأسرة دخلاً من بيع المفارش والشالات.",
        storyEn:
          "In Upper Egypt, known for its hand-woven cloth, a mother of two has mastered the craft but has no loom. The father can no longer do heavy work after a back injury; a loom would give the family an income from selling tablecloths and shawls.",
        ageBand: "30-59",
        gender: "female",
      },
      {
        category: "medical_treatment",
        urgency: "high",
        state: "submitted",
        targetMinor: 960_000,
        deadlineInDays: 45,
        payeeKind: "hospital",
        payeeName: "مركز العلاج الطبيعي",
        titleAr: "جلسات علاج طبيعي لآلام الظهر",
        titleEn: "Physiotherapy for a back injury",
        storyAr: "أب لطفلين يحتاج إلى أربع وعشرين جلسة علاج طبيعي بعد إصابة في أسفل الظهر، ليعود إلى عمل خفيف.",
        storyEn: "A father of two needs twenty-four physiotherapy sessions after a lower-back injury so he can return to light work.",
        ageBand: "30-59",
        gender: "male",
      },
    ],
  },
  {
    org: "sohag-palms",
    head: { fullName: "حمدي عبد الراضي شحاتة", sex: "male", age: 39 },
    members: [
      { fullName: "هويدا فرغلي شحاتة", sex: "female", age: 33, relation: "spouse" },
      { fullName: "آدم حمدي شحاتة", sex: "male", age: 5, relation: "child", school: "enrolled" },
      { fullName: "رقية حمدي شحاتة", sex: "female", age: 2, relation: "child" },
    ],
    phones: ["010 9152 4736"],
    ids: [{ kind: "national_id", value: "28702052600351" }],
    region: ["Sohag", "Tahta", "Tahta city"],
    address: "شارع المحطة، بجوار مسجد الرحمن",
    tags: ["no_income"],
    registeredDaysAgo: 12,
    // Consent not yet recorded: the caseworker keeps the need in draft until it is.
    consent: null,
    needs: [
      {
        category: "food",
        urgency: "normal",
        state: "draft",
        targetMinor: 480_000,
        deadlineInDays: 60,
        payeeKind: "vendor",
        payeeName: "بقالة تموينية متعاقدة",
        titleAr: "كرتونة مواد غذائية شهرية لثلاثة أشهر",
        titleEn: "A monthly food box for three months",
        storyAr: "أسرة من أربعة أفراد فقد معيلها عمله اليومي في البناء، وتحتاج إلى مواد غذائية أساسية لثلاثة أشهر.",
        storyEn: "A family of four whose breadwinner lost his daily construction work needs basic food for three months.",
      },
    ],
  },
  {
    org: "sohag-palms",
    head: { fullName: "سنية عبد الباقي خليفة", sex: "female", age: 67, disability: "قصور مزمن في وظائف الكلى" },
    members: [
      { fullName: "حسام عمرو خليفة", sex: "male", age: 15, relation: "grandchild", school: "enrolled" },
      { fullName: "هاجر عمرو خليفة", sex: "female", age: 12, relation: "grandchild", school: "enrolled" },
    ],
    phones: ["015 3390 6412"],
    ids: [{ kind: "national_id", value: "25807242500638" }],
    region: ["Asyut", "Abnub", "Abnub city"],
    address: "شارع الجمهورية، عطفة خليفة",
    tags: ["elderly_alone", "orphan", "chronic_illness"],
    registeredDaysAgo: 200,
    consent: { publish: true, sharePartners: false },
    needs: [
      {
        category: "school_fees",
        urgency: "normal",
        state: "published",
        targetMinor: 540_000,
        deadlineInDays: 150,
        // Kafala: offered to one sponsor for four months (decision 067).
        sponsorshipMonths: 4,
        payeeKind: "school",
        payeeName: "المدرسة الإعدادية والثانوية",
        titleAr: "مصروفات مدرسية لحفيدين يتيمين تعولهما جدتهما",
        titleEn: "School costs for two orphaned grandchildren raised by their grandmother",
        storyAr:
          "جدّة في السابعة والستين تعول حفيدين يتيمين في محافظة أسيوط. يحتاج الطفلان إلى المصروفات المدرسية والزي والكتب ومجموعات التقوية لهذا العام.",
        storyEn:
          "A 67-year-old grandmother in Asyut governorate is raising two orphaned grandchildren. They need school costs, uniforms, books and study groups for this year.",
        ageBand: "12-17",
      },
      {
        category: "medical_treatment",
        urgency: "high",
        state: "published",
        targetMinor: 1_200_000,
        deadlineInDays: 50,
        payeeKind: "hospital",
        payeeName: "مستشفى جامعة أسيوط",
        titleAr: "علاج ومتابعة لقصور الكلى لجدّة تعول يتيمين",
        titleEn: "Kidney treatment for a grandmother raising two orphans",
        storyAr:
          "جدّة مسنّة تعاني من قصور مزمن في الكلى وتحتاج إلى فحوص دورية وأدوية لا يغطيها التأمين الصحي، وهي المعيلة الوحيدة لحفيديها.",
        storyEn:
          "An elderly grandmother with chronic kidney failure needs regular tests and medicine that health insurance does not cover; she is the only carer of her two grandchildren.",
        ageBand: "60+",
        gender: "female",
      },
      {
        category: "rent",
        urgency: "normal",
        state: "returned",
        returnReason: "عقد الإيجار المرفق باسم شخص آخر؛ يرجى إرفاق عقد باسم معيلة الأسرة أو إفادة من المالك.",
        targetMinor: 600_000,
        deadlineInDays: 80,
        payeeKind: "vendor",
        payeeName: "مالك الشقة",
        titleAr: "بدل إيجار ستة أشهر لجدّة وحفيديها",
        titleEn: "Six months' rent for a grandmother and her grandchildren",
        storyAr: "جدّة مسنّة تعول حفيدين يتيمين تحتاج إلى إيجار ستة أشهر لتبقى في مسكنها قرب مدرستهما.",
        storyEn: "An elderly grandmother raising two orphans needs six months' rent to stay in her home near their school.",
      },
    ],
  },
];

// ---------------------------------------------------------------- demo pledges

/**
 * Where a demo pledge ends up, and when (days before the seed date; fractions are hours). The seed
 * creates it at `createdDaysAgo` through the domain functions and takes it there:
 * - pending (offline) / awaiting_payment (card) / offered (in-kind delivery): left as created;
 *   pending ones expire after the organisation's number of days, like any pledge;
 * - paid: recorded by the organisation's finance officer; received: a delivery the caseworker
 *   confirmed; cancelled: by its donor;
 * - expired: created the organisation's number of days before `expiredDaysAgo` and expired then;
 *   with `paidLateDaysAgo`, its money arrived afterwards (flagged paid_after_expired: "needs
 *   resolution" on the finance page, the need's totals untouched).
 */
export type DemoPledgeOutcome =
  | { status: "pending" | "awaiting_payment" | "offered"; createdDaysAgo: number }
  | { status: "paid" | "received" | "cancelled"; createdDaysAgo: number; settledDaysAgo: number }
  | { status: "expired"; expiredDaysAgo: number; paidLateDaysAgo?: number };

export interface DemoPledge {
  /** Stable and unique: the pledge's idempotency key is `tadamon-demo-pledge:<key>`, so a re-seed finds it. */
  key: string;
  org: string;
  /** The published demo need: its household's head (the household's marker) and its English title. */
  need: { head: string; titleEn: string };
  /** A demo donor's account (a signed-in pledge, in the account's language) or a guest. */
  donor: { account: string } | { guest: string; locale: "ar" | "en" };
  method: "bank_transfer" | "cash" | "money_transfer" | "card" | "delivery";
  /** Minor units of the organisation's currency; none for an in-kind pledge (its items' total). */
  amountMinor?: number;
  /** In-kind: the item lines (position in the need's list, from 0) the pledge funds or delivers. */
  items?: { position: number; quantity: number }[];
  displayName?: string;
  anonymous?: boolean;
  message?: string;
  outcome: DemoPledgeOutcome;
  /**
   * How the money really moved (issue 9), recorded through the payments functions:
   * - payment: the paid pledge's transfer as the bank showed it (a bank fee taken on the way, its reference);
   * - partMinor: a pending pledge of which only this much arrived (the rest still expected);
   * - refund: later refunded (offline), this much, so many days ago;
   * - moveTo: money that arrived after the pledge expired, moved by finance to another need of the
   *   organisation (by its household head and English title), or to the unrestricted fund.
   */
  money?: {
    payment?: { feeMinor?: number; reference?: string };
    partMinor?: number;
    refund?: { amountMinor: number; daysAgo: number; reason: string };
    moveTo?: { head: string; titleEn: string } | "unrestricted";
    /** A card pledge paid through the stand-in checkout (outside production, without a Stripe key). */
    card?: { coverFee: boolean };
  };
}

/** The one demo need pledged in full on purpose (its pledges are all paid, so it is `funded`). */
export const DEMO_FUNDED_NEED = { org: "shahba-social-affairs", head: "نادية عبد الرزاق حلاق", titleEn: "Six months' rent for a family headed by a widow" };

const guest = (local: string, locale: "ar" | "en" = "ar") => ({ guest: `${local}@example.org`, locale });
const account = (local: string) => ({ account: email(local) });

/**
 * Pledges on a few published needs of each organisation, so the finance officer's pledges page, the
 * need pages' progress and the staff's delivery decisions have something to show. Each need keeps
 * capacity left (school fees and medication most of it, where the e2e tests pledge), except the one
 * funded need; in Bayader, in-kind item lines stay open. Guests write from example.org (never
 * delivered); the demo donors pledge signed in.
 */
export const DEMO_PLEDGES: DemoPledge[] = [
  // ------------------------------------------------------------ Bayader (USD cents)
  {
    key: "bayader-01",
    org: "bayader-camps",
    need: { head: "فاطمة خضر الشولي", titleEn: "School fees and books for three children" },
    donor: account("donor.beirut"),
    method: "bank_transfer",
    amountMinor: 10_000,
    displayName: "ليلى م.",
    message: "بالتوفيق للأولاد في عامهم الدراسي",
    outcome: { status: "paid", createdDaysAgo: 9, settledDaysAgo: 6 },
    money: { payment: { feeMinor: 300, reference: "BLOM-TRF-88213" } },
  },
  {
    key: "bayader-02",
    org: "bayader-camps",
    need: { head: "فاطمة خضر الشولي", titleEn: "School fees and books for three children" },
    donor: guest("rami.khoury", "en"),
    method: "cash",
    amountMinor: 5_000,
    displayName: "Rami K.",
    message: "For the books and uniforms.",
    outcome: { status: "pending", createdDaysAgo: 1 },
  },
  {
    key: "bayader-03",
    org: "bayader-camps",
    need: { head: "توفيق يوسف الحاج", titleEn: "Urgent cardiac catheterisation" },
    donor: account("donor.diaspora"),
    method: "card",
    amountMinor: 15_000,
    displayName: "Sara H.",
    message: "Wishing him a quick recovery.",
    outcome: { status: "awaiting_payment", createdDaysAgo: 0.1 },
  },
  {
    key: "bayader-04",
    org: "bayader-camps",
    need: { head: "توفيق يوسف الحاج", titleEn: "Urgent cardiac catheterisation" },
    donor: guest("m.sabbagh"),
    method: "money_transfer",
    amountMinor: 20_000,
    anonymous: true,
    message: "شفاه الله وعافاه",
    outcome: { status: "pending", createdDaysAgo: 2 },
  },
  {
    key: "bayader-05",
    org: "bayader-camps",
    need: { head: "توفيق يوسف الحاج", titleEn: "Urgent cardiac catheterisation" },
    donor: guest("nour.aldeen"),
    method: "bank_transfer",
    amountMinor: 30_000,
    displayName: "نور الدين",
    outcome: { status: "paid", createdDaysAgo: 6, settledDaysAgo: 4 },
  },
  {
    key: "bayader-06",
    org: "bayader-camps",
    need: { head: "وائل بكري قطان", titleEn: "Six months' rent for a family facing eviction" },
    donor: account("donor.diaspora"),
    method: "bank_transfer",
    amountMinor: 40_000,
    message: "So the family can stay in their home.",
    outcome: { status: "pending", createdDaysAgo: 3 },
  },
  {
    key: "bayader-07",
    org: "bayader-camps",
    need: { head: "وائل بكري قطان", titleEn: "Six months' rent for a family facing eviction" },
    donor: guest("j.haddad", "en"),
    method: "bank_transfer",
    amountMinor: 25_000,
    displayName: "J. Haddad",
    outcome: { status: "expired", expiredDaysAgo: 5 },
  },
  {
    key: "bayader-08",
    org: "bayader-camps",
    need: { head: "وائل بكري قطان", titleEn: "Six months' rent for a family facing eviction" },
    donor: guest("um.khalil"),
    method: "bank_transfer",
    amountMinor: 12_000,
    displayName: "أم خليل",
    message: "تأخر التحويل من البنك، سامحونا",
    outcome: { status: "expired", expiredDaysAgo: 9, paidLateDaysAgo: 2 },
    money: { moveTo: { head: "فاطمة خضر الشولي", titleEn: "School fees and books for three children" } },
  },
  {
    key: "bayader-09",
    org: "bayader-camps",
    need: { head: "وائل بكري قطان", titleEn: "Six months' rent for a family facing eviction" },
    donor: account("donor.cairo"),
    method: "cash",
    amountMinor: 10_000,
    outcome: { status: "cancelled", createdDaysAgo: 4, settledDaysAgo: 3 },
  },
  {
    key: "bayader-10",
    org: "bayader-camps",
    need: { head: "فاطمة خضر الشولي", titleEn: "A sewing machine for a mother starting work from home" },
    donor: guest("hiba.n"),
    method: "bank_transfer",
    items: [{ position: 1, quantity: 1 }],
    displayName: "هبة",
    message: "لطاولة القص، بالتوفيق في مشروعك",
    outcome: { status: "paid", createdDaysAgo: 8, settledDaysAgo: 5 },
  },
  {
    key: "bayader-11",
    org: "bayader-camps",
    need: { head: "فاطمة خضر الشولي", titleEn: "A sewing machine for a mother starting work from home" },
    donor: guest("abu.fadi.fabrics"),
    method: "delivery",
    items: [{ position: 2, quantity: 1 }],
    displayName: "أبو فادي، تاجر أقمشة",
    message: "أستطيع توصيل الأقمشة والخيوط إلى مكتب الجمعية هذا الأسبوع.",
    outcome: { status: "offered", createdDaysAgo: 1 },
  },
  {
    key: "bayader-12",
    org: "bayader-camps",
    need: { head: "توفيق يوسف الحاج", titleEn: "Six months of diabetes and heart medication for an elderly man" },
    donor: guest("k.mansour", "en"),
    method: "cash",
    amountMinor: 4_000,
    anonymous: true,
    outcome: { status: "paid", createdDaysAgo: 5, settledDaysAgo: 3 },
    money: { refund: { amountMinor: 4_000, daysAgo: 1, reason: "The donor paid twice by mistake and asked for one back." } },
  },
  {
    key: "bayader-13",
    org: "bayader-camps",
    need: { head: "خالد محمود شهابي", titleEn: "A vegetable cart and scales for a father seeking a steady income" },
    donor: account("donor.beirut"),
    method: "money_transfer",
    amountMinor: 15_000,
    message: "بداية موفقة ورزق واسع",
    outcome: { status: "pending", createdDaysAgo: 0.5 },
    money: { partMinor: 5_000 },
  },

  {
    key: "bayader-14",
    org: "bayader-camps",
    need: { head: "خالد محمود شهابي", titleEn: "A vegetable cart and scales for a father seeking a steady income" },
    donor: account("donor.beirut"),
    method: "card",
    amountMinor: 10_000,
    displayName: "ليلى م.",
    message: "رزق حلال ومستقبل أفضل",
    // Paid through the built-in stand-in checkout (a signed checkout.session.completed to the
    // webhook's code path), the donor covering the processing fee.
    outcome: { status: "paid", createdDaysAgo: 0.2, settledDaysAgo: 0.19 },
    money: { card: { coverFee: true } },
  },

  // ------------------------------------------------------------ Al-Shahba (SYP, no card payments)
  {
    key: "shahba-01",
    org: "shahba-social-affairs",
    need: { head: DEMO_FUNDED_NEED.head, titleEn: DEMO_FUNDED_NEED.titleEn },
    donor: account("donor.diaspora"),
    method: "bank_transfer",
    amountMinor: 2_000_000,
    message: "For a safe home for the next six months.",
    outcome: { status: "paid", createdDaysAgo: 12, settledDaysAgo: 8 },
  },
  {
    key: "shahba-02",
    org: "shahba-social-affairs",
    need: { head: DEMO_FUNDED_NEED.head, titleEn: DEMO_FUNDED_NEED.titleEn },
    donor: guest("abu.mohammad"),
    method: "money_transfer",
    amountMinor: 1_600_000,
    displayName: "أبو محمد",
    message: "جزاكم الله خيراً على متابعتكم",
    outcome: { status: "paid", createdDaysAgo: 5, settledDaysAgo: 2 },
  },
  {
    key: "shahba-03",
    org: "shahba-social-affairs",
    need: { head: "ياسين مصطفى بكور", titleEn: "Heart surgery for an 11-year-old boy" },
    donor: guest("a.kurdi"),
    method: "money_transfer",
    amountMinor: 500_000,
    anonymous: true,
    message: "دعواتنا للطفل بالشفاء العاجل",
    outcome: { status: "pending", createdDaysAgo: 1 },
  },
  {
    key: "shahba-04",
    org: "shahba-social-affairs",
    need: { head: "ياسين مصطفى بكور", titleEn: "Heart surgery for an 11-year-old boy" },
    donor: account("donor.beirut"),
    method: "bank_transfer",
    amountMinor: 1_000_000,
    outcome: { status: "pending", createdDaysAgo: 2 },
  },
  {
    key: "shahba-05",
    org: "shahba-social-affairs",
    need: { head: "ياسين مصطفى بكور", titleEn: "Heart surgery for an 11-year-old boy" },
    donor: guest("omar.sh"),
    method: "cash",
    amountMinor: 250_000,
    displayName: "عمر",
    outcome: { status: "cancelled", createdDaysAgo: 3, settledDaysAgo: 2 },
  },
  {
    key: "shahba-06",
    org: "shahba-social-affairs",
    need: { head: "رضوان فاروق الدبس", titleEn: "Six months of insulin and blood-pressure medicine for an elderly man" },
    donor: guest("r.atassi"),
    method: "cash",
    amountMinor: 300_000,
    displayName: "ريما",
    outcome: { status: "paid", createdDaysAgo: 7, settledDaysAgo: 4 },
  },
  {
    key: "shahba-07",
    org: "shahba-social-affairs",
    need: { head: "ياسين مصطفى بكور", titleEn: "Tutoring and books for a secondary-school girl" },
    donor: guest("daniel.m", "en"),
    method: "money_transfer",
    amountMinor: 200_000,
    displayName: "Daniel",
    message: "Good luck with the exams!",
    outcome: { status: "expired", expiredDaysAgo: 3 },
  },
  {
    key: "shahba-08",
    org: "shahba-social-affairs",
    need: { head: "نادية عبد الرزاق حلاق", titleEn: "An oven and dough mixer for a home pastry business" },
    donor: guest("ghada.t"),
    method: "cash",
    amountMinor: 750_000,
    displayName: "غادة",
    message: "سلّمت المبلغ لمكتب المديرية متأخرة بعد العيد",
    outcome: { status: "expired", expiredDaysAgo: 6, paidLateDaysAgo: 1 },
  },
  {
    key: "shahba-09",
    org: "shahba-social-affairs",
    need: { head: "رضوان فاروق الدبس", titleEn: "A hospital bed and air mattress for a bedridden elderly woman" },
    donor: guest("abu.samer"),
    method: "delivery",
    items: [{ position: 1, quantity: 1 }],
    displayName: "أبو سامر",
    message: "عندي فرشة هوائية جديدة بكرتونتها، أسلّمها للمديرية",
    outcome: { status: "received", createdDaysAgo: 6, settledDaysAgo: 3 },
  },
  {
    key: "shahba-10",
    org: "shahba-social-affairs",
    need: { head: "حمود عيسى العبيد", titleEn: "A small goat herd for a rural family that has returned home" },
    donor: guest("lina.w", "en"),
    method: "bank_transfer",
    amountMinor: 1_500_000,
    displayName: "Lina",
    message: "For the family's fresh start.",
    outcome: { status: "pending", createdDaysAgo: 1 },
  },
  {
    key: "shahba-11",
    org: "shahba-social-affairs",
    need: { head: "ياسين مصطفى بكور", titleEn: "Tutoring and books for a secondary-school girl" },
    donor: guest("hala.d"),
    method: "cash",
    amountMinor: 300_000,
    displayName: "سلمى",
    message: "بالتوفيق في الشهادة الثانوية",
    outcome: { status: "pending", createdDaysAgo: 0.3 },
  },

  // ------------------------------------------------------------ Sohag Palms (EGP piastres)
  {
    key: "sohag-01",
    org: "sohag-palms",
    need: { head: "عبد الفتاح رمضان عبد العال", titleEn: "Cataract surgery on both eyes" },
    donor: account("donor.cairo"),
    method: "bank_transfer",
    amountMinor: 200_000,
    displayName: "عمر فاروق",
    message: "ربنا يرجّع له نظره ويرجع لشغله",
    outcome: { status: "paid", createdDaysAgo: 10, settledDaysAgo: 7 },
  },
  {
    key: "sohag-02",
    org: "sohag-palms",
    need: { head: "عبد الفتاح رمضان عبد العال", titleEn: "Cataract surgery on both eyes" },
    donor: guest("mahmoud.r"),
    method: "card",
    amountMinor: 150_000,
    displayName: "محمود",
    outcome: { status: "awaiting_payment", createdDaysAgo: 0.1 },
  },
  {
    key: "sohag-03",
    org: "sohag-palms",
    need: { head: "عبد الفتاح رمضان عبد العال", titleEn: "Cataract surgery on both eyes" },
    donor: guest("nadia.e"),
    method: "money_transfer",
    amountMinor: 100_000,
    anonymous: true,
    outcome: { status: "pending", createdDaysAgo: 1 },
  },
  {
    key: "sohag-04",
    org: "sohag-palms",
    need: { head: "عبد الفتاح رمضان عبد العال", titleEn: "Six months of insulin pens" },
    donor: account("donor.cairo"),
    method: "cash",
    amountMinor: 120_000,
    message: "ألف سلامة عليه",
    outcome: { status: "pending", createdDaysAgo: 2 },
  },
  {
    key: "sohag-05",
    org: "sohag-palms",
    need: { head: "عبد الفتاح رمضان عبد العال", titleEn: "Six months of insulin pens" },
    donor: guest("a.selim", "en"),
    method: "bank_transfer",
    amountMinor: 150_000,
    anonymous: true,
    message: "Stay well.",
    outcome: { status: "paid", createdDaysAgo: 6, settledDaysAgo: 3 },
  },
  {
    key: "sohag-06",
    org: "sohag-palms",
    need: { head: "زينب عبد الموجود حسانين", titleEn: "School costs and uniform for a preparatory-school girl" },
    donor: account("donor.diaspora"),
    method: "bank_transfer",
    amountMinor: 80_000,
    displayName: "Sara",
    message: "Keep studying!",
    outcome: { status: "cancelled", createdDaysAgo: 5, settledDaysAgo: 4 },
  },
  {
    key: "sohag-07",
    org: "sohag-palms",
    need: { head: "سنية عبد الباقي خليفة", titleEn: "School costs for two orphaned grandchildren raised by their grandmother" },
    donor: guest("hany.g"),
    method: "money_transfer",
    amountMinor: 90_000,
    displayName: "هاني",
    outcome: { status: "expired", expiredDaysAgo: 4 },
  },
  {
    key: "sohag-08",
    org: "sohag-palms",
    need: { head: "سنية عبد الباقي خليفة", titleEn: "Kidney treatment for a grandmother raising two orphans" },
    donor: guest("fam.abdelaziz"),
    method: "bank_transfer",
    amountMinor: 300_000,
    displayName: "أسرة عبد العزيز",
    outcome: { status: "expired", expiredDaysAgo: 10, paidLateDaysAgo: 3 },
  },
  {
    key: "sohag-09",
    org: "sohag-palms",
    need: { head: "مينا عزيز بشاي", titleEn: "A handloom for a mother skilled in traditional weaving" },
    donor: guest("yarn.shop"),
    method: "delivery",
    items: [{ position: 1, quantity: 1 }],
    displayName: "محل غزل ونسيج",
    message: "أوصّل الغزل الملوّن إلى مقر الجمعية خلال أيام",
    outcome: { status: "offered", createdDaysAgo: 2 },
  },
  {
    key: "sohag-10",
    org: "sohag-palms",
    need: { head: "زينب عبد الموجود حسانين", titleEn: "A dairy buffalo for a mother raising three children" },
    donor: guest("peter.w", "en"),
    method: "money_transfer",
    amountMinor: 500_000,
    displayName: "Peter",
    outcome: { status: "pending", createdDaysAgo: 0.5 },
  },
  {
    key: "sohag-11",
    org: "sohag-palms",
    need: { head: "زينب عبد الموجود حسانين", titleEn: "A dairy buffalo for a mother raising three children" },
    donor: guest("hoda.k"),
    method: "cash",
    amountMinor: 400_000,
    displayName: "هدى",
    message: "ربنا يبارك لها في رزقها",
    outcome: { status: "paid", createdDaysAgo: 8, settledDaysAgo: 5 },
  },
  {
    key: "sohag-12",
    org: "sohag-palms",
    need: { head: "سنية عبد الباقي خليفة", titleEn: "School costs for two orphaned grandchildren raised by their grandmother" },
    donor: account("donor.beirut"),
    method: "bank_transfer",
    amountMinor: 100_000,
    outcome: { status: "paid", createdDaysAgo: 4, settledDaysAgo: 1 },
  },
  {
    key: "sohag-13",
    org: "sohag-palms",
    need: { head: "سنية عبد الباقي خليفة", titleEn: "Kidney treatment for a grandmother raising two orphans" },
    donor: guest("y.fathy"),
    method: "bank_transfer",
    amountMinor: 200_000,
    displayName: "م. فتحي",
    outcome: { status: "pending", createdDaysAgo: 1 },
  },
];
