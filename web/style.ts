/**
 * The web app's one stylesheet, served from /web/assets/style.css (no inline style: the CSP forbids
 * it). System fonts only (DejaVu from Debian where present): nothing is fetched from elsewhere.
 * Colours meet WCAG AA contrast on their backgrounds.
 */
export const STYLE_CSS = `
:root{--ink:#16191f;--muted:#4b5563;--line:#c9ccd1;--bg:#f4f5f7;--card:#fff;--link:#1d4ed8;--warn:#8a3b00;--bad:#9b1c1c;--ok:#14532d}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0;background:var(--bg);color:var(--ink);font-size:15px;line-height:1.45}
a{color:var(--link)}a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #f59e0b;outline-offset:1px}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:1rem;background:#1e293b;color:#fff;padding:.6rem 1.2rem}
header.top a{color:#fff}header.top .brand{font-weight:bold;font-size:1.1rem;text-decoration:none}
header.top nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}
header.top .who{margin-left:auto;display:flex;align-items:center;gap:.8rem}
header.top form{margin:0}header.top button{background:transparent;color:#fff;border:1px solid #fff;border-radius:4px;padding:.25rem .7rem;cursor:pointer}
main{max-width:78rem;margin:1rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin:.6rem 0}h2{font-size:1.15rem;margin:1.4rem 0 .5rem}
section.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem;margin:.8rem 0}
table{border-collapse:collapse;width:100%;background:var(--card)}th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#e5e7eb}td.num,th.num{text-align:right}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dl.facts dt{font-weight:bold}dl.facts dd{margin:0}
.muted{color:var(--muted)}.overdue{color:var(--bad);font-weight:bold}.soon{color:var(--warn);font-weight:bold}
.badge{display:inline-block;padding:0 .45rem;border-radius:3px;background:#e5e7eb;font-size:.85rem}
.notice{border-left:4px solid var(--ok);background:#ecfdf5;padding:.5rem .8rem}
.alert{border-left:4px solid var(--bad);background:#fef2f2;padding:.5rem .8rem}
.error{color:var(--bad);font-weight:bold;margin:.2rem 0}
form.input{display:grid;gap:.35rem;max-width:34rem}form.input label{font-weight:bold}
form.input input,form.input select,form.input textarea{font:inherit;padding:.35rem;border:1px solid #6b7280;border-radius:4px;width:100%}
form.input [aria-invalid="true"]{border:2px solid var(--bad)}
button.primary{justify-self:start;background:var(--link);color:#fff;border:0;border-radius:4px;padding:.45rem 1rem;font:inherit;cursor:pointer}
.forms{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:.8rem}
.forms fieldset{border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;background:var(--card)}
.forms legend{font-weight:bold}
.filters{display:flex;flex-wrap:wrap;gap:.8rem;align-items:end}.filters label{display:grid;font-weight:bold;gap:.2rem}
.filters input,.filters select{font:inherit;padding:.3rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.3rem;z-index:2}
`;
