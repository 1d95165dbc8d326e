import { sec, type BriefingCase } from './types.js';

/** Planted-flaw changes for tuning and the held-aside third (ids 51–51). */
export const CASES_4: BriefingCase[] = [
  {
    id: 51,
    persona: 'security',
    domain: 'security',
    flaw: 'NoSQL $where built from input',
    files: [
      {
        path: 'server/search.js',
        after: `const { products } = require('./mongo');

async function search(req, res) {
  const maxPrice = req.query.maxPrice;
  const docs = await products.find({ $where: 'this.price <= ' + maxPrice }).toArray();
  res.json(docs);
}

module.exports = { search };
`,
      },
    ],
    governing: [sec('NoSQL_Security'), sec('Injection_Prevention')],
  },

];
