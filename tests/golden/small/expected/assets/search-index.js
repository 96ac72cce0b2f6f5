/* boardpack search index: written by the build */
window.BOARDPACK_INDEX = [
 {
  "title": "Golden Test Pack",
  "url": "index.html",
  "measures": [],
  "text": "Summary Demand for the helpline exceeded capacity in three weeks of January, and the backlog grew to its highest level on 21 January. Referrals are stable. Survey satisfaction is above target."
 },
 {
  "title": "Helpline & Advice",
  "url": "services/helpline.html",
  "owner": "Head of Helpline",
  "domain": "Responsive",
  "measures": [
   "Demand",
   "Capacity",
   "Backlog"
  ],
  "text": "Commentary Calls rose in the second week while adviser cover fell. Actions Recruit one adviser. Review the rota. Risk"
 },
 {
  "title": "Client Survey",
  "url": "services/survey.html",
  "owner": "Quality Lead",
  "domain": "Caring",
  "measures": [
   "Clients satisfied"
  ],
  "text": "Satisfaction rose after the new questionnaire in February 2023, then fell below the target in January 2024."
 }
];
