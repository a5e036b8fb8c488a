// Starts GOV.UK Frontend's components. Kept in a file, not inline, so the CSP allows no inline script.
import { initAll } from "./govuk-frontend.min.js";

initAll();
