import type { ReactNode } from "react";

/** The frame of the account pages (sign-in, sign-up, reset…): one narrow column, easy on a phone. */
export function AuthPage({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <div className="mx-auto w-full max-w-md">
      <h1 className="text-2xl font-bold text-brand-800">{title}</h1>
      {intro && <p className="mt-2 leading-relaxed text-stone-700">{intro}</p>}
      <div className="mt-6 space-y-5 rounded-lg border border-stone-200 bg-white p-5 shadow-sm">{children}</div>
    </div>
  );
}

/** A row of secondary links under a form (“Forgot your password?”, “Create an account”). */
export function AuthLinks({ children }: { children: ReactNode }) {
  return <div className="flex flex-col gap-2 border-t border-stone-200 pt-4 text-sm">{children}</div>;
}

export const linkClass = "text-brand-700 underline underline-offset-2 hover:text-brand-800";
