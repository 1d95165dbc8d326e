import { ops, sec, type BriefingCase } from './types.js';

/** Planted-flaw changes for tuning and the held-aside third (ids 16–32). */
export const CASES_2: BriefingCase[] = [
  {
    id: 16,
    persona: 'security',
    domain: 'security',
    flaw: 'AES in ECB mode with a key in the code',
    files: [
      {
        path: 'src/crypto/card-vault.ts',
        after: `import { createCipheriv, createDecipheriv } from 'node:crypto';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');

export function encryptCardNumber(pan: string): string {
  const cipher = createCipheriv('aes-128-ecb', KEY, null);
  return Buffer.concat([cipher.update(pan, 'utf8'), cipher.final()]).toString('base64');
}

export function decryptCardNumber(blob: string): string {
  const decipher = createDecipheriv('aes-128-ecb', KEY, null);
  return Buffer.concat([decipher.update(Buffer.from(blob, 'base64')), decipher.final()]).toString('utf8');
}
`,
      },
    ],
    governing: [sec('Cryptographic_Storage'), sec('Key_Management')],
  },
  {
    id: 17,
    persona: 'security',
    domain: 'security',
    flaw: 'recursive merge of request JSON into settings (prototype pollution)',
    files: [
      {
        path: 'src/settings/merge.js',
        after: `function deepMerge(target, source) {
  for (const key in source) {
    if (typeof source[key] === 'object' && source[key] !== null) {
      if (!target[key]) target[key] = {};
      deepMerge(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

function updateSettings(req, res) {
  const settings = deepMerge(loadSettings(req.user.id), req.body);
  saveSettings(req.user.id, settings);
  res.json(settings);
}

module.exports = { deepMerge, updateSettings };
`,
      },
    ],
    governing: [sec('Prototype_Pollution_Prevention')],
  },
  {
    id: 18,
    persona: 'security',
    domain: 'security',
    flaw: 'whole request body bound to the user model (mass assignment)',
    files: [
      {
        path: 'app/controllers/profile_controller.rb',
        before: `class ProfileController < ApplicationController
  before_action :authenticate_user!

  def update
    current_user.update(params.require(:user).permit(:name, :bio))
    redirect_to profile_path
  end
end
`,
        after: `class ProfileController < ApplicationController
  before_action :authenticate_user!

  def update
    current_user.update(params.require(:user).permit!)
    redirect_to profile_path
  end
end
`,
      },
    ],
    governing: [sec('Mass_Assignment'), sec('Ruby_on_Rails')],
  },
  {
    id: 19,
    persona: 'security',
    domain: 'security',
    flaw: 'invoice fetched by id without checking the owner',
    files: [
      {
        path: 'src/routes/invoices.ts',
        before: `import { Router } from 'express';
import { Invoice } from '../models/invoice.js';

export const invoices = Router();

invoices.get('/invoices', async (req, res) => {
  res.json(await Invoice.find({ ownerId: req.user.id }));
});
`,
        after: `import { Router } from 'express';
import { Invoice } from '../models/invoice.js';

export const invoices = Router();

invoices.get('/invoices', async (req, res) => {
  res.json(await Invoice.find({ ownerId: req.user.id }));
});

invoices.get('/invoices/:invoiceId', async (req, res) => {
  const invoice = await Invoice.findById(req.params.invoiceId);
  if (!invoice) return res.status(404).end();
  res.json(invoice);
});
`,
      },
    ],
    governing: [sec('Insecure_Direct_Object_Reference_Prevention'), sec('Authorization'), sec('Access_Control')],
  },
  {
    id: 20,
    persona: 'security',
    domain: 'security',
    flaw: 'login attempts logged with the password',
    files: [
      {
        path: 'src/auth/login.ts',
        before: `import { logger } from '../logger.js';
import { verify } from './passwords.js';

export async function login(username: string, password: string): Promise<boolean> {
  const ok = await verify(username, password);
  logger.info('login', { username, ok });
  return ok;
}
`,
        after: `import { logger } from '../logger.js';
import { verify } from './passwords.js';

export async function login(username: string, password: string): Promise<boolean> {
  logger.debug('login attempt', { username, password });
  const ok = await verify(username, password);
  logger.info('login', { username, ok });
  return ok;
}
`,
      },
    ],
    governing: [sec('Logging')],
  },
  {
    id: 21,
    persona: 'security',
    domain: 'security',
    flaw: 'stack trace sent to the client',
    files: [
      {
        path: 'src/server/errors.ts',
        before: `import type { NextFunction, Request, Response } from 'express';
import { logger } from '../logger.js';

export function onError(err: Error, _req: Request, res: Response, _next: NextFunction): void {
  logger.error('request failed', { error: err.message });
  res.status(500).json({ error: 'internal error' });
}
`,
        after: `import type { NextFunction, Request, Response } from 'express';

export function onError(err: Error, _req: Request, res: Response, _next: NextFunction): void {
  res.status(500).type('text/plain').send(\`Error: \${err.message}\\n\${err.stack}\`);
}
`,
      },
    ],
    governing: [sec('Error_Handling')],
  },
  {
    id: 22,
    persona: 'security',
    domain: 'security',
    flaw: 'CSRF protection switched off on a state-changing view',
    files: [
      {
        path: 'shop/views.py',
        before: `from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Order


@require_POST
def cancel_order(request, order_id):
    order = Order.objects.get(pk=order_id, customer=request.user)
    order.cancel()
    return JsonResponse({"status": "cancelled"})
`,
        after: `from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Order


@csrf_exempt
@require_POST
def cancel_order(request, order_id):
    order = Order.objects.get(pk=order_id, customer=request.user)
    order.cancel()
    return JsonResponse({"status": "cancelled"})
`,
      },
    ],
    governing: [sec('Cross-Site_Request_Forgery_Prevention'), sec('Django_Security')],
  },
  {
    id: 23,
    persona: 'security',
    domain: 'security',
    flaw: 'TLS certificate verification disabled',
    files: [
      {
        path: 'integrations/partner_client.py',
        before: `import requests

BASE_URL = "https://partner.example.net/api"


def fetch_orders(token):
    r = requests.get(f"{BASE_URL}/orders", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    r.raise_for_status()
    return r.json()
`,
        after: `import requests
import urllib3

BASE_URL = "https://partner.example.net/api"
urllib3.disable_warnings()


def fetch_orders(token):
    r = requests.get(f"{BASE_URL}/orders", headers={"Authorization": f"Bearer {token}"}, timeout=10, verify=False)
    r.raise_for_status()
    return r.json()
`,
      },
    ],
    governing: [sec('Transport_Layer_Security'), sec('Transport_Layer_Protection'), sec('Pinning')],
  },
  {
    id: 24,
    persona: 'security',
    domain: 'security',
    flaw: 'untrusted issue title interpolated into a workflow shell step',
    files: [
      {
        path: '.github/workflows/triage.yml',
        after: `name: triage
on:
  issues:
    types: [opened]
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Label by title
        run: |
          echo "New issue: \${{ github.event.issue.title }}"
          ./scripts/label.sh "\${{ github.event.issue.title }}"
`,
      },
    ],
    governing: [sec('GitHub_Actions_Security'), sec('CI_CD_Security')],
  },
  {
    id: 25,
    persona: 'security',
    domain: 'security',
    flaw: 'session cookie without HttpOnly and Secure',
    files: [
      {
        path: 'src/server/session.ts',
        before: `import session from 'express-session';

export const sessions = session({
  secret: process.env.SESSION_SECRET!,
  resave: false,
  saveUninitialized: false,
  cookie: { httpOnly: true, secure: true, sameSite: 'lax', maxAge: 3600_000 },
});
`,
        after: `import session from 'express-session';

export const sessions = session({
  secret: process.env.SESSION_SECRET!,
  resave: false,
  saveUninitialized: false,
  cookie: { httpOnly: false, secure: false, maxAge: 30 * 24 * 3600_000 },
});
`,
      },
    ],
    governing: [sec('Session_Management'), sec('Cookie_Theft_Mitigation')],
  },
  {
    id: 26,
    persona: 'security',
    domain: 'security',
    flaw: 'container runs as root with the database password baked into the image',
    files: [
      {
        path: 'Dockerfile',
        before: `FROM node:20-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
USER node
CMD ["node", "dist/server.js"]
`,
        after: `FROM node:20-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
ENV DATABASE_PASSWORD=hunter2-prod
CMD ["node", "dist/server.js"]
`,
      },
    ],
    governing: [sec('Docker_Security'), sec('NodeJS_Docker'), sec('Secrets_Management')],
  },
  {
    id: 27,
    persona: 'sre',
    domain: 'operations',
    flaw: 'production database host and credentials in code',
    files: [
      {
        path: 'src/db/pool.ts',
        before: `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL });
`,
        after: `import { Pool } from 'pg';

export const pool = new Pool({
  host: 'orders-db-prod.cluster-c9x2.eu-west-1.rds.amazonaws.com',
  port: 5432,
  user: 'orders_app',
  password: 'orders_app',
  database: 'orders',
});
`,
      },
    ],
    governing: [ops('config'), ops('backing-services')],
  },
  {
    id: 28,
    persona: 'sre',
    domain: 'operations',
    flaw: 'application writes and rotates its own log file',
    files: [
      {
        path: 'src/logger.ts',
        before: `import pino from 'pino';

export const logger = pino();
`,
        after: `import pino from 'pino';

const destination = pino.destination({ dest: '/var/log/orders/app.log', sync: false, mkdir: true });
setInterval(() => destination.reopen(), 24 * 3600_000);

export const logger = pino(destination);
`,
      },
    ],
    governing: [ops('logs'), sec('Logging')],
  },
  {
    id: 29,
    persona: 'sre',
    domain: 'operations',
    flaw: 'sessions kept in process memory (needs sticky sessions)',
    files: [
      {
        path: 'src/server/cart.ts',
        after: `import type { Request, Response } from 'express';

// cartId -> items; kept here so we do not need Redis for the first release
const carts = new Map<string, string[]>();

export function addToCart(req: Request, res: Response): void {
  const id = req.cookies.cartId as string;
  const items = carts.get(id) ?? [];
  items.push(req.body.sku);
  carts.set(id, items);
  res.json({ items });
}
`,
      },
    ],
    governing: [ops('processes')],
  },
  {
    id: 30,
    persona: 'sre',
    domain: 'operations',
    flaw: 'worker ignores SIGTERM and drops its in-flight job',
    files: [
      {
        path: 'worker/index.js',
        before: `const { queue } = require('./queue');
const { handle } = require('./handle');

async function main() {
  for (;;) {
    const job = await queue.reserve();
    await handle(job);
    await queue.ack(job);
  }
}

main();
`,
        after: `const { queue } = require('./queue');
const { handle } = require('./handle');

process.on('SIGTERM', () => {
  console.log('got SIGTERM, ignoring until the batch is done');
});

async function main() {
  for (;;) {
    const jobs = await queue.reserveMany(500);
    for (const job of jobs) await handle(job);
    await queue.ackMany(jobs);
  }
}

main();
`,
      },
    ],
    governing: [ops('disposability')],
  },
  {
    id: 31,
    persona: 'sre',
    domain: 'operations',
    flaw: 'fixed port instead of the one the environment assigns',
    files: [
      {
        path: 'src/main.ts',
        before: `import { createServer } from './server.js';

const port = Number(process.env.PORT ?? 3000);
createServer().listen(port, () => console.log(\`listening on \${port}\`));
`,
        after: `import { createServer } from './server.js';

// ops asked for 8443 on the prod boxes
createServer().listen(8443, '0.0.0.0', () => console.log('listening on 8443'));
`,
      },
    ],
    governing: [ops('port-binding'), ops('config')],
  },
  {
    id: 32,
    persona: 'sre',
    domain: 'operations',
    flaw: 'schema migration run from a web request handler',
    files: [
      {
        path: 'app/admin/routes.py',
        before: `from flask import Blueprint, jsonify

bp = Blueprint("admin", __name__)


@bp.route("/admin/health")
def health():
    return jsonify({"ok": True})
`,
        after: `import subprocess

from flask import Blueprint, jsonify

bp = Blueprint("admin", __name__)


@bp.route("/admin/health")
def health():
    return jsonify({"ok": True})


@bp.route("/admin/migrate", methods=["POST"])
def migrate():
    # run pending migrations and the one-off backfill from the running web process
    subprocess.run(["alembic", "upgrade", "head"], check=True)
    subprocess.run(["python", "scripts/backfill_customer_ids.py"], check=True)
    return jsonify({"migrated": True})
`,
      },
    ],
    governing: [ops('admin-processes')],
  },
];
