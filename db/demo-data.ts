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
  /** governorate → district → camp or neighbourhood */
  regions: DemoRegion[];
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
