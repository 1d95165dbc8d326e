/**
 * Planted-flaw changes for the briefing benchmark (`npm run bench -- --only briefing`): small,
 * realistic edits, each with one obvious flaw, labelled with the corpus standard(s) that govern it
 * (any one of them counts as a hit). Each case is a pair of file trees; the benchmark commits
 * `before` in a scratch git repository, writes `after` and hands `git diff` to the persona as an
 * assistant would, with a generic task.
 *
 * The split is fixed here and never tuned: every case whose id is a multiple of 3 is held aside.
 * FRESH_CASES were written after the selection was tuned (at commit 12d405f) and never tuned on: a
 * second check, since the tuning and held-aside cases were both known while the lexicon was written.
 */

export type CorpusDomain = 'security' | 'operations' | 'architecture' | 'development';

export interface BriefingCase {
  id: number;
  persona: 'security' | 'sre' | 'architect' | 'engineer' | 'data' | 'qa';
  domain: CorpusDomain;
  flaw: string;
  /** What the assistant asks; generic on purpose. */
  task?: string;
  /** `before` absent: a new file; `after` null: the file is deleted. */
  files: Array<{ path: string; before?: string; after: string | null }>;
  /** Corpus files (relative to the standards directory) that govern the flaw. */
  governing: string[];
}

export const DEFAULT_TASK = 'Review this change before I commit it';

export function isHeldOut(c: Pick<BriefingCase, 'id'>): boolean {
  return c.id % 3 === 0;
}

const sec = (name: string): string => `security/${name}_Cheat_Sheet.md`;
const ops = (name: string): string => `operations/twelve-factor-${name}.md`;

export const CASES: BriefingCase[] = [
  {
    id: 1,
    persona: 'security',
    domain: 'security',
    flaw: 'SQL built by string concatenation',
    files: [
      {
        path: 'src/routes/users.ts',
        before: `import { Router } from 'express';
import { db } from '../db.js';

export const users = Router();

users.get('/users/:id', async (req, res) => {
  const row = await db.get('SELECT id, email FROM users WHERE id = ?', [req.params.id]);
  res.json(row);
});
`,
        after: `import { Router } from 'express';
import { db } from '../db.js';

export const users = Router();

users.get('/users/:id', async (req, res) => {
  const row = await db.get('SELECT id, email FROM users WHERE id = ?', [req.params.id]);
  res.json(row);
});

users.get('/users', async (req, res) => {
  const email = String(req.query.email ?? '');
  const rows = await db.all("SELECT id, email FROM users WHERE email LIKE '%" + email + "%'");
  res.json(rows);
});
`,
      },
    ],
    governing: [sec('SQL_Injection_Prevention'), sec('Query_Parameterization'), sec('Injection_Prevention')],
  },
  {
    id: 2,
    persona: 'security',
    domain: 'security',
    flaw: 'innerHTML with user-supplied text',
    files: [
      {
        path: 'web/src/comments.js',
        before: `export function renderComments(list, comments) {
  list.textContent = '';
  for (const c of comments) {
    const li = document.createElement('li');
    li.textContent = c.author + ': ' + c.body;
    list.appendChild(li);
  }
}
`,
        after: `export function renderComments(list, comments) {
  let html = '';
  for (const c of comments) {
    html += '<li><b>' + c.author + '</b>: ' + c.body + '</li>';
  }
  list.innerHTML = html;
}
`,
      },
    ],
    governing: [sec('Cross_Site_Scripting_Prevention'), sec('DOM_based_XSS_Prevention')],
  },
  {
    id: 3,
    persona: 'security',
    domain: 'security',
    flaw: 'MD5 password hash',
    files: [
      {
        path: 'app/accounts/auth.py',
        before: `from app.db import session
from app.models import User


def register(email: str, password: str) -> User:
    user = User(email=email)
    session.add(user)
    session.commit()
    return user
`,
        after: `import hashlib

from app.db import session
from app.models import User


def register(email: str, password: str) -> User:
    user = User(email=email)
    user.password_hash = hashlib.md5(password.encode("utf-8")).hexdigest()
    session.add(user)
    session.commit()
    return user


def check_password(user: User, password: str) -> bool:
    return user.password_hash == hashlib.md5(password.encode("utf-8")).hexdigest()
`,
      },
    ],
    governing: [sec('Password_Storage')],
  },
  {
    id: 4,
    persona: 'security',
    domain: 'security',
    flaw: 'server fetches a URL taken from the query string',
    files: [
      {
        path: 'src/api/link-preview.ts',
        after: `import type { Request, Response } from 'express';

/** Shows a preview card for a link pasted into a chat message. */
export async function linkPreview(req: Request, res: Response): Promise<void> {
  const target = String(req.query.url);
  const page = await fetch(target);
  const html = await page.text();
  const title = /<title>([^<]*)<\\/title>/i.exec(html)?.[1] ?? target;
  res.json({ url: target, title });
}
`,
      },
    ],
    governing: [sec('Server_Side_Request_Forgery_Prevention')],
  },
  {
    id: 5,
    persona: 'security',
    domain: 'security',
    flaw: 'shell command built from a request field',
    files: [
      {
        path: 'src/media/thumbnails.ts',
        before: `import path from 'node:path';

export const THUMB_DIR = path.resolve('var/thumbs');
`,
        after: `import { exec } from 'node:child_process';
import path from 'node:path';
import type { Request, Response } from 'express';

export const THUMB_DIR = path.resolve('var/thumbs');

export function makeThumbnail(req: Request, res: Response): void {
  const name = req.body.filename as string;
  exec(\`convert uploads/\${name} -resize 200x200 \${THUMB_DIR}/\${name}\`, (err) => {
    if (err) return res.status(500).end();
    res.json({ thumbnail: \`/thumbs/\${name}\` });
  });
}
`,
      },
    ],
    governing: [sec('OS_Command_Injection_Defense'), sec('Injection_Prevention')],
  },
  {
    id: 6,
    persona: 'security',
    domain: 'security',
    flaw: 'LDAP filter built from the user name',
    files: [
      {
        path: 'src/main/java/com/acme/auth/DirectoryLookup.java',
        before: `package com.acme.auth;

import javax.naming.directory.DirContext;

public class DirectoryLookup {
    private final DirContext ctx;

    public DirectoryLookup(DirContext ctx) {
        this.ctx = ctx;
    }
}
`,
        after: `package com.acme.auth;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;

public class DirectoryLookup {
    private final DirContext ctx;

    public DirectoryLookup(DirContext ctx) {
        this.ctx = ctx;
    }

    public boolean isMember(String userName, String group) throws NamingException {
        String filter = "(&(uid=" + userName + ")(memberOf=cn=" + group + ",ou=groups,dc=acme,dc=com))";
        SearchControls controls = new SearchControls();
        controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
        NamingEnumeration<SearchResult> results = ctx.search("ou=people,dc=acme,dc=com", filter, controls);
        return results.hasMore();
    }
}
`,
      },
    ],
    governing: [sec('LDAP_Injection_Prevention'), sec('Injection_Prevention')],
  },
  {
    id: 7,
    persona: 'data',
    domain: 'security',
    flaw: 'MongoDB query from the raw request body (operator injection)',
    files: [
      {
        path: 'server/routes/login.js',
        before: `const express = require('express');
const router = express.Router();

module.exports = router;
`,
        after: `const express = require('express');
const router = express.Router();
const { users } = require('../mongo');

router.post('/login', async (req, res) => {
  const user = await users.findOne({ username: req.body.username, password: req.body.password });
  if (!user) return res.status(401).json({ error: 'invalid credentials' });
  req.session.userId = user._id;
  res.json({ ok: true });
});

module.exports = router;
`,
      },
    ],
    governing: [sec('NoSQL_Security'), sec('Injection_Prevention')],
  },
  {
    id: 8,
    persona: 'security',
    domain: 'security',
    flaw: 'JWT decoded without verifying the signature',
    files: [
      {
        path: 'src/middleware/auth.ts',
        before: `import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';

const SECRET = process.env.JWT_SECRET!;

export function requireUser(req: Request, res: Response, next: NextFunction): void {
  const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
  try {
    res.locals.user = jwt.verify(token, SECRET, { algorithms: ['HS256'] });
    next();
  } catch {
    res.status(401).end();
  }
}
`,
        after: `import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';

export function requireUser(req: Request, res: Response, next: NextFunction): void {
  const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
  const claims = jwt.decode(token) as { sub?: string; role?: string } | null;
  if (!claims?.sub) {
    res.status(401).end();
    return;
  }
  res.locals.user = claims;
  next();
}
`,
      },
    ],
    governing: [sec('JSON_Web_Token')],
  },
  {
    id: 9,
    persona: 'security',
    domain: 'security',
    flaw: 'upload saved under the client file name in the web root, any type',
    files: [
      {
        path: 'app/views/avatars.py',
        after: `import os

from flask import Blueprint, request, jsonify

bp = Blueprint("avatars", __name__)
STATIC_DIR = os.path.join(os.path.dirname(__file__), "..", "static", "avatars")


@bp.route("/avatar", methods=["POST"])
def upload_avatar():
    f = request.files["avatar"]
    f.save(os.path.join(STATIC_DIR, f.filename))
    return jsonify({"url": "/static/avatars/" + f.filename})
`,
      },
    ],
    governing: [sec('File_Upload')],
  },
  {
    id: 10,
    persona: 'security',
    domain: 'security',
    flaw: 'pickle.loads on request data',
    files: [
      {
        path: 'service/api/sessions.py',
        before: `import base64

from flask import request


def current_cart():
    return {}
`,
        after: `import base64
import pickle

from flask import request


def current_cart():
    raw = request.cookies.get("cart")
    if not raw:
        return {}
    return pickle.loads(base64.b64decode(raw))
`,
      },
    ],
    governing: [sec('Deserialization')],
  },
  {
    id: 11,
    persona: 'security',
    domain: 'security',
    flaw: 'live payment API key committed in source',
    files: [
      {
        path: 'src/billing/stripe.ts',
        before: `import Stripe from 'stripe';

export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '', { apiVersion: '2024-06-20' });
`,
        after: `import Stripe from 'stripe';

// TODO move to env before launch
const STRIPE_SECRET_KEY = 'sk_live_EXAMPLEDONOTUSE0000000000000000';

export const stripe = new Stripe(STRIPE_SECRET_KEY, { apiVersion: '2024-06-20' });
`,
      },
    ],
    governing: [sec('Secrets_Management')],
  },
  {
    id: 12,
    persona: 'security',
    domain: 'security',
    flaw: 'Java native deserialization of bytes from a socket',
    files: [
      {
        path: 'src/main/java/com/acme/sync/SyncServer.java',
        before: `package com.acme.sync;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

public class SyncServer {
    public void serve(int port) throws IOException {
        try (ServerSocket server = new ServerSocket(port)) {
            while (true) {
                Socket s = server.accept();
                s.close();
            }
        }
    }
}
`,
        after: `package com.acme.sync;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.net.ServerSocket;
import java.net.Socket;

public class SyncServer {
    public void serve(int port) throws IOException, ClassNotFoundException {
        try (ServerSocket server = new ServerSocket(port)) {
            while (true) {
                Socket s = server.accept();
                ObjectInputStream in = new ObjectInputStream(s.getInputStream());
                SyncBatch batch = (SyncBatch) in.readObject();
                batch.apply();
                s.close();
            }
        }
    }
}
`,
      },
    ],
    governing: [sec('Deserialization'), sec('Java_Security')],
  },
  {
    id: 13,
    persona: 'security',
    domain: 'security',
    flaw: 'XML parsed with DTDs and external entities enabled',
    files: [
      {
        path: 'src/main/java/com/acme/imports/InvoiceImporter.java',
        after: `package com.acme.imports;

import java.io.InputStream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

public class InvoiceImporter {
    public Document parse(InputStream uploadedXml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setExpandEntityReferences(true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        return builder.parse(uploadedXml);
    }
}
`,
      },
    ],
    governing: [sec('XML_External_Entity_Prevention'), sec('XML_Security')],
  },
  {
    id: 14,
    persona: 'security',
    domain: 'security',
    flaw: 'redirect to a URL from the query string',
    files: [
      {
        path: 'src/routes/session.ts',
        before: `import { Router } from 'express';

export const session = Router();

session.post('/login', async (req, res) => {
  await req.login(req.body.email, req.body.password);
  res.redirect('/dashboard');
});
`,
        after: `import { Router } from 'express';

export const session = Router();

session.post('/login', async (req, res) => {
  await req.login(req.body.email, req.body.password);
  const next = typeof req.query.next === 'string' ? req.query.next : '/dashboard';
  res.redirect(next);
});
`,
      },
    ],
    governing: [sec('Unvalidated_Redirects_and_Forwards')],
  },
  {
    id: 15,
    persona: 'security',
    domain: 'security',
    flaw: 'password reset token from Math.random',
    files: [
      {
        path: 'src/services/password-reset.ts',
        before: `import { mailer } from './mailer.js';
import { tokens } from '../db/tokens.js';

export async function startReset(email: string): Promise<void> {
  await mailer.send(email, 'Password reset', 'Contact support to reset your password.');
}
`,
        after: `import { mailer } from './mailer.js';
import { tokens } from '../db/tokens.js';

export async function startReset(email: string): Promise<void> {
  const token = Math.random().toString(36).slice(2) + Date.now().toString(36);
  await tokens.save({ email, token, expires: Date.now() + 24 * 3600_000 });
  await mailer.send(email, 'Password reset', \`https://app.example.com/reset?token=\${token}\`);
}
`,
      },
    ],
    governing: [sec('Forgot_Password'), sec('Cryptographic_Storage')],
  },
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
  {
    id: 33,
    persona: 'sre',
    domain: 'operations',
    flaw: 'relies on a system-wide ImageMagick binary that is not declared',
    files: [
      {
        path: 'app/images/resize.py',
        before: `from PIL import Image


def resize(src, dst, width):
    with Image.open(src) as im:
        ratio = width / im.width
        im.resize((width, int(im.height * ratio))).save(dst)
`,
        after: `import os


def resize(src, dst, width):
    # Pillow was slow; the hosts have ImageMagick installed anyway
    os.system(f"/usr/bin/convert {src} -resize {width} {dst}")
`,
      },
    ],
    governing: [ops('dependencies')],
  },
  {
    id: 34,
    persona: 'sre',
    domain: 'operations',
    flaw: 'SQLite in development, Postgres in production',
    files: [
      {
        path: 'config/database.ts',
        before: `export const database = {
  client: 'pg',
  connection: process.env.DATABASE_URL,
};
`,
        after: `const isDev = process.env.NODE_ENV !== 'production';

// sqlite locally so nobody needs to run postgres on their laptop
export const database = isDev
  ? { client: 'sqlite3', connection: { filename: './dev.sqlite3' }, useNullAsDefault: true }
  : { client: 'pg', connection: process.env.DATABASE_URL };
`,
      },
    ],
    governing: [ops('dev-prod-parity')],
  },
  {
    id: 35,
    persona: 'sre',
    domain: 'operations',
    flaw: 'per-environment settings chosen by a hard-coded environment name',
    files: [
      {
        path: 'settings/environments.py',
        after: `import socket

HOSTNAME = socket.gethostname()

if HOSTNAME.startswith("prod-"):
    REDIS_URL = "redis://cache-prod-1.internal:6379/0"
    PAYMENT_API = "https://api.payments.example.com"
    DEBUG = False
elif HOSTNAME.startswith("staging-"):
    REDIS_URL = "redis://cache-staging-1.internal:6379/0"
    PAYMENT_API = "https://sandbox.payments.example.com"
    DEBUG = True
else:
    REDIS_URL = "redis://localhost:6379/0"
    PAYMENT_API = "https://sandbox.payments.example.com"
    DEBUG = True
`,
      },
    ],
    governing: [ops('config'), ops('backing-services')],
  },
  {
    id: 36,
    persona: 'architect',
    domain: 'architecture',
    flaw: 'abbreviated snake_case property names in a new API resource',
    files: [
      {
        path: 'src/api/customers/serialize.ts',
        after: `import type { Customer } from '../../domain/customer.js';

/** JSON shape of GET /v1/customers/{id}. */
export function serializeCustomer(c: Customer): Record<string, unknown> {
  return {
    cust_id: c.id,
    cust_nm: c.name,
    addr_ln1: c.address.line1,
    crt_dt: c.createdAt.toISOString(),
    is_actv_flg: c.active ? 'Y' : 'N',
  };
}
`,
      },
    ],
    governing: ['architecture/graph-articles-naming.md', 'architecture/azure-rest-api-guidelines.md'],
  },
  {
    id: 37,
    persona: 'architect',
    domain: 'architecture',
    flaw: 'ad-hoc error body with no error code',
    files: [
      {
        path: 'src/api/orders/handlers.ts',
        before: `import type { Request, Response } from 'express';
import { placeOrder, OutOfStock } from '../../domain/orders.js';

export async function createOrder(req: Request, res: Response): Promise<void> {
  const order = await placeOrder(req.body);
  res.status(201).json(order);
}
`,
        after: `import type { Request, Response } from 'express';
import { placeOrder, OutOfStock } from '../../domain/orders.js';

export async function createOrder(req: Request, res: Response): Promise<void> {
  try {
    const order = await placeOrder(req.body);
    res.status(201).json(order);
  } catch (e) {
    if (e instanceof OutOfStock) res.status(409).json({ msg: 'sorry, out of stock!!' });
    else res.status(500).json({ msg: String(e) });
  }
}
`,
      },
    ],
    governing: ['architecture/graph-articles-errorResponses.md', 'architecture/azure-rest-api-guidelines.md'],
  },
  {
    id: 38,
    persona: 'architect',
    domain: 'architecture',
    flaw: 'failure reported as 200 OK with success: false',
    files: [
      {
        path: 'src/api/payments/refund.ts',
        after: `import type { Request, Response } from 'express';
import { refund } from '../../domain/payments.js';

export async function refundPayment(req: Request, res: Response): Promise<void> {
  const result = await refund(req.params.paymentId, req.body.amount);
  if (!result.ok) {
    res.status(200).json({ success: false, reason: result.reason });
    return;
  }
  res.status(200).json({ success: true, refundId: result.id });
}
`,
      },
    ],
    governing: ['architecture/azure-rest-api-guidelines.md', 'architecture/graph-articles-errorResponses.md'],
  },
  {
    id: 39,
    persona: 'architect',
    domain: 'architecture',
    flaw: 'list endpoint returns every row as a bare array, no paging',
    files: [
      {
        path: 'src/api/audit/list.ts',
        after: `import type { Request, Response } from 'express';
import { auditLog } from '../../db/audit.js';

/** GET /v1/audit-events */
export async function listAuditEvents(_req: Request, res: Response): Promise<void> {
  const rows = await auditLog.all();
  res.json(rows);
}
`,
      },
    ],
    governing: ['architecture/graph-articles-collections.md', 'architecture/azure-rest-api-guidelines.md'],
  },
  {
    id: 40,
    persona: 'architect',
    domain: 'architecture',
    flaw: 'long export done synchronously inside the request',
    files: [
      {
        path: 'src/api/reports/export.ts',
        after: `import type { Request, Response } from 'express';
import { buildYearlyExport } from '../../reports/yearly.js';

/** POST /v1/reports/{year}/export: builds the CSV (10-15 minutes for big tenants) and returns it. */
export async function exportReport(req: Request, res: Response): Promise<void> {
  req.setTimeout(30 * 60_000);
  const csv = await buildYearlyExport(req.params.year, req.user.tenantId);
  res.status(200).type('text/csv').send(csv);
}
`,
      },
    ],
    governing: ['architecture/graph-patterns-long-running-operations.md', 'architecture/azure-rest-api-guidelines.md'],
  },
  {
    id: 41,
    persona: 'architect',
    domain: 'architecture',
    flaw: 'closed enum gains a member that existing clients cannot handle',
    files: [
      {
        path: 'api/schema/shipment.yaml',
        before: `components:
  schemas:
    ShipmentStatus:
      type: string
      enum: [pending, shipped, delivered]
`,
        after: `components:
  schemas:
    ShipmentStatus:
      type: string
      enum: [pending, shipped, delivered, returned, lost]
`,
      },
    ],
    governing: ['architecture/graph-patterns-evolvable-enums.md', 'architecture/graph-patterns-enums.md', 'architecture/azure-rest-api-guidelines.md'],
  },
  {
    id: 42,
    persona: 'architect',
    domain: 'architecture',
    flaw: 'property removed from a published API version without deprecation',
    files: [
      {
        path: 'src/api/v1/products.ts',
        before: `export interface ProductV1 {
  id: string;
  name: string;
  price: number;
  legacySku: string;
}

export function toV1(p: Product): ProductV1 {
  return { id: p.id, name: p.name, price: p.price, legacySku: p.sku };
}
`,
        after: `export interface ProductV1 {
  id: string;
  name: string;
  price: number;
}

export function toV1(p: Product): ProductV1 {
  return { id: p.id, name: p.name, price: p.price };
}
`,
      },
    ],
    governing: ['architecture/graph-articles-deprecation.md', 'architecture/azure-rest-api-guidelines.md'],
  },
  {
    id: 43,
    persona: 'engineer',
    domain: 'development',
    flaw: 'Python mutable default argument',
    files: [
      {
        path: 'lib/tags.py',
        before: `def normalize(tag):
    return tag.strip().lower()
`,
        after: `def normalize(tag):
    return tag.strip().lower()


def add_tag(tag, tags=[]):
    tags.append(normalize(tag))
    return tags
`,
      },
    ],
    governing: ['development/google-pyguide.md'],
  },
  {
    id: 44,
    persona: 'engineer',
    domain: 'development',
    flaw: 'Python bare except that swallows everything',
    files: [
      {
        path: 'lib/importer.py',
        before: `import csv


def load_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))
`,
        after: `import csv


def load_rows(path):
    try:
        with open(path, newline="") as f:
            return list(csv.DictReader(f))
    except:
        pass
`,
      },
    ],
    governing: ['development/google-pyguide.md'],
  },
  {
    id: 45,
    persona: 'engineer',
    domain: 'development',
    flaw: 'Go error strings capitalised and punctuated',
    files: [
      {
        path: 'internal/store/store.go',
        before: `package store

import "os"

func Open(path string) (*os.File, error) {
	return os.Open(path)
}
`,
        after: `package store

import (
	"errors"
	"fmt"
	"os"
)

var ErrEmptyPath = errors.New("Path must not be empty.")

func Open(path string) (*os.File, error) {
	if path == "" {
		return nil, ErrEmptyPath
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("Could not open the store file: %v.", err)
	}
	return f, nil
}
`,
      },
    ],
    governing: ['development/google-go-decisions.md', 'development/google-go-guide.md', 'development/google-go-best-practices.md'],
  },
  {
    id: 46,
    persona: 'engineer',
    domain: 'development',
    flaw: 'Go library panics instead of returning an error',
    files: [
      {
        path: 'pkg/config/load.go',
        after: `package config

import (
	"encoding/json"
	"os"
)

type Config struct {
	Listen string \`json:"listen"\`
}

// Load reads the configuration file.
func Load(path string) Config {
	data, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		panic(err)
	}
	return c
}
`,
      },
    ],
    governing: ['development/google-go-decisions.md', 'development/google-go-best-practices.md', 'development/google-go-guide.md'],
  },
  {
    id: 47,
    persona: 'engineer',
    domain: 'development',
    flaw: 'shell script with backticks, unquoted variables and ls parsing',
    files: [
      {
        path: 'scripts/cleanup.sh',
        after: `#!/bin/bash
DIR=$1
for f in \`ls $DIR/*.tmp\`; do
  rm -f $f
done
echo "cleaned \`date\`"
`,
      },
    ],
    governing: ['development/google-shellguide.md'],
  },
  {
    id: 48,
    persona: 'qa',
    domain: 'development',
    flaw: 'wildcard import in a Python test module',
    files: [
      {
        path: 'tests/test_pricing.py',
        before: `from pricing.rules import apply_discount


def test_discount():
    assert apply_discount(100, 0.1) == 90
`,
        after: `from pricing.rules import *
from pricing.taxes import *


def test_discount():
    assert apply_discount(100, 0.1) == 90


def test_vat():
    assert add_vat(100, "DE") == 119
`,
      },
    ],
    governing: ['development/google-pyguide.md'],
  },
  {
    id: 49,
    persona: 'engineer',
    domain: 'development',
    flaw: 'shell script that evals its arguments',
    files: [
      {
        path: 'bin/deploy.sh',
        before: `#!/bin/bash
set -euo pipefail

target="$1"
rsync -a dist/ "deploy@\${target}:/srv/app/"
`,
        after: `#!/bin/bash
set -euo pipefail

target="$1"
shift
extra="$*"
eval "rsync -a $extra dist/ deploy@$target:/srv/app/"
`,
      },
    ],
    governing: ['development/google-shellguide.md', sec('OS_Command_Injection_Defense')],
  },
  {
    id: 50,
    persona: 'engineer',
    domain: 'development',
    flaw: 'Go context stored in a struct and not the first parameter',
    files: [
      {
        path: 'internal/fetch/client.go',
        after: `package fetch

import (
	"context"
	"net/http"
)

type Client struct {
	ctx  context.Context
	http *http.Client
}

func New(ctx context.Context) *Client {
	return &Client{ctx: ctx, http: http.DefaultClient}
}

func (c *Client) Get(url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(c.ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return c.http.Do(req)
}
`,
      },
    ],
    governing: ['development/google-go-decisions.md', 'development/google-go-best-practices.md', 'development/google-go-guide.md'],
  },
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

export const FRESH_CASES: BriefingCase[] = [
  {
    id: 101,
    persona: 'security',
    domain: 'security',
    flaw: 'PHP query concatenated with a GET parameter',
    files: [
      {
        path: 'public/orders.php',
        before: `<?php
require __DIR__ . '/../bootstrap.php';

$db = db_connect();
`,
        after: `<?php
require __DIR__ . '/../bootstrap.php';

$db = db_connect();
$result = mysqli_query($db, "SELECT id, total FROM orders WHERE customer_id = " . $_GET['customer']);
while ($row = mysqli_fetch_assoc($result)) {
    echo $row['id'] . ': ' . $row['total'] . "\n";
}
`,
      },
    ],
    governing: [sec('SQL_Injection_Prevention'), sec('Query_Parameterization'), sec('Injection_Prevention')],
  },
  {
    id: 102,
    persona: 'security',
    domain: 'security',
    flaw: 'Razor view renders a comment unencoded',
    files: [
      {
        path: 'Views/Posts/Show.cshtml',
        before: `@model PostViewModel
<h1>@Model.Title</h1>
<div class="comments">
@foreach (var c in Model.Comments) {
    <p>@c.Text</p>
}
</div>
`,
        after: `@model PostViewModel
<h1>@Model.Title</h1>
<div class="comments">
@foreach (var c in Model.Comments) {
    <p>@Html.Raw(c.Text)</p>
}
</div>
`,
      },
    ],
    governing: [sec('Cross_Site_Scripting_Prevention'), sec('DotNet_Security')],
  },
  {
    id: 103,
    persona: 'security',
    domain: 'security',
    flaw: 'Go runs a shell with a file name from the request',
    files: [
      {
        path: 'internal/archive/extract.go',
        after: `package archive

import (
	"net/http"
	"os/exec"
)

func Extract(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	out, err := exec.Command("sh", "-c", "tar -xzf /data/uploads/"+name+" -C /data/extracted").CombinedOutput()
	if err != nil {
		http.Error(w, string(out), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
`,
      },
    ],
    governing: [sec('OS_Command_Injection_Defense'), sec('Injection_Prevention')],
  },
  {
    id: 104,
    persona: 'security',
    domain: 'security',
    flaw: 'yaml.load of an uploaded document',
    files: [
      {
        path: 'api/imports.py',
        before: `from flask import Blueprint, request, jsonify

bp = Blueprint("imports", __name__)
`,
        after: `import yaml
from flask import Blueprint, request, jsonify

bp = Blueprint("imports", __name__)


@bp.route("/imports", methods=["POST"])
def create_import():
    spec = yaml.load(request.get_data(), Loader=yaml.Loader)
    return jsonify({"steps": len(spec.get("steps", []))})
`,
      },
    ],
    governing: [sec('Deserialization')],
  },
  {
    id: 105,
    persona: 'security',
    domain: 'security',
    flaw: 'Kotlin stores passwords as unsalted SHA-1',
    files: [
      {
        path: 'src/main/kotlin/com/acme/users/UserService.kt',
        after: `package com.acme.users

import java.security.MessageDigest

class UserService(private val repo: UserRepository) {
    fun register(email: String, password: String): User {
        val digest = MessageDigest.getInstance("SHA-1").digest(password.toByteArray())
        val hash = digest.joinToString("") { "%02x".format(it) }
        return repo.save(User(email = email, passwordHash = hash))
    }
}
`,
      },
    ],
    governing: [sec('Password_Storage')],
  },
  {
    id: 106,
    persona: 'security',
    domain: 'security',
    flaw: 'JWT verification accepts any algorithm and ignores expiry',
    files: [
      {
        path: 'src/auth/verify.js',
        before: `const jwt = require('jsonwebtoken');

module.exports.verify = (token, key) => jwt.verify(token, key, { algorithms: ['RS256'] });
`,
        after: `const jwt = require('jsonwebtoken');

module.exports.verify = (token, key) => jwt.verify(token, key, { algorithms: ['RS256', 'HS256', 'none'], ignoreExpiration: true });
`,
      },
    ],
    governing: [sec('JSON_Web_Token')],
  },
  {
    id: 107,
    persona: 'security',
    domain: 'security',
    flaw: 'Rails redirects to a return_to parameter',
    files: [
      {
        path: 'app/controllers/sessions_controller.rb',
        before: `class SessionsController < ApplicationController
  def create
    user = User.authenticate(params[:email], params[:password])
    return render :new, status: :unprocessable_entity unless user

    session[:user_id] = user.id
    redirect_to root_path
  end
end
`,
        after: `class SessionsController < ApplicationController
  def create
    user = User.authenticate(params[:email], params[:password])
    return render :new, status: :unprocessable_entity unless user

    session[:user_id] = user.id
    redirect_to params[:return_to] || root_path
  end
end
`,
      },
    ],
    governing: [sec('Unvalidated_Redirects_and_Forwards'), sec('Ruby_on_Rails')],
  },
  {
    id: 108,
    persona: 'security',
    domain: 'security',
    flaw: 'Terraform opens SSH to the internet',
    files: [
      {
        path: 'infra/network.tf',
        after: `resource "aws_security_group" "bastion" {
  name   = "bastion"
  vpc_id = aws_vpc.main.id

  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
      },
    ],
    governing: [sec('Infrastructure_as_Code_Security'), sec('Secure_Cloud_Architecture'), sec('Network_Segmentation')],
  },
  {
    id: 109,
    persona: 'security',
    domain: 'security',
    flaw: 'Kubernetes pod runs privileged as root',
    files: [
      {
        path: 'deploy/k8s/worker.yaml',
        before: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  template:
    spec:
      containers:
        - name: worker
          image: registry.example.com/worker:1.4.2
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
`,
        after: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  template:
    spec:
      containers:
        - name: worker
          image: registry.example.com/worker:1.4.2
          securityContext:
            privileged: true
            runAsUser: 0
`,
      },
    ],
    governing: [sec('Kubernetes_Security')],
  },
  {
    id: 110,
    persona: 'security',
    domain: 'security',
    flaw: 'GraphQL server with introspection on and no depth or cost limit in production',
    files: [
      {
        path: 'src/graphql/server.ts',
        after: `import { ApolloServer } from '@apollo/server';
import { typeDefs, resolvers } from './schema.js';

export const server = new ApolloServer({
  typeDefs,
  resolvers,
  introspection: true,
  validationRules: [],
});
`,
      },
    ],
    governing: [sec('GraphQL')],
  },
  {
    id: 111,
    persona: 'sre',
    domain: 'operations',
    flaw: 'Python service logs to a rotating file',
    files: [
      {
        path: 'service/logging_setup.py',
        before: `import logging


def configure():
    logging.basicConfig(level=logging.INFO)
`,
        after: `import logging
from logging.handlers import RotatingFileHandler


def configure():
    handler = RotatingFileHandler("/var/log/billing/service.log", maxBytes=50_000_000, backupCount=5)
    logging.basicConfig(level=logging.INFO, handlers=[handler])
`,
      },
    ],
    governing: [ops('logs'), sec('Logging')],
  },
  {
    id: 112,
    persona: 'sre',
    domain: 'operations',
    flaw: 'Go service with the production cache address as a constant',
    files: [
      {
        path: 'cmd/api/main.go',
        before: `package main

import (
	"os"

	"github.com/redis/go-redis/v9"
)

func main() {
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")})
	run(rdb)
}
`,
        after: `package main

import (
	"github.com/redis/go-redis/v9"
)

const redisAddr = "10.20.3.14:6379"

func main() {
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr, Password: "s3cr3t-cache"})
	run(rdb)
}
`,
      },
    ],
    governing: [ops('config'), ops('backing-services'), sec('Secrets_Management')],
  },
  {
    id: 113,
    persona: 'sre',
    domain: 'operations',
    flaw: 'uploads kept on the local disk of one instance for later requests',
    files: [
      {
        path: 'src/reports/drafts.ts',
        after: `import fs from 'node:fs';
import path from 'node:path';

const DRAFTS = path.resolve('tmp/drafts');

/** Step 1 of the wizard saves the draft; step 2 (a later request) reads it back. */
export function saveDraft(userId: string, body: unknown): void {
  fs.mkdirSync(DRAFTS, { recursive: true });
  fs.writeFileSync(path.join(DRAFTS, \`\${userId}.json\`), JSON.stringify(body));
}

export function loadDraft(userId: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(DRAFTS, \`\${userId}.json\`), 'utf8'));
}
`,
      },
    ],
    governing: [ops('processes')],
  },
  {
    id: 114,
    persona: 'architect',
    domain: 'architecture',
    flaw: 'RPC-style verbs in REST paths',
    files: [
      {
        path: 'src/api/routes.ts',
        before: `import { Router } from 'express';
import * as users from './users.js';

export const api = Router();
api.get('/v1/users/:id', users.get);
`,
        after: `import { Router } from 'express';
import * as users from './users.js';

export const api = Router();
api.get('/v1/users/:id', users.get);
api.post('/v1/createUser', users.create);
api.post('/v1/deleteUser', users.remove);
api.get('/v1/getAllUsers', users.list);
`,
      },
    ],
    governing: ['architecture/azure-rest-api-guidelines.md', 'architecture/graph-articles-naming.md'],
  },
  {
    id: 115,
    persona: 'architect',
    domain: 'architecture',
    flaw: 'validation failure answered with 500 and a plain string',
    files: [
      {
        path: 'src/api/accounts/create.ts',
        after: `import type { Request, Response } from 'express';
import { createAccount } from '../../domain/accounts.js';

export async function create(req: Request, res: Response): Promise<void> {
  if (typeof req.body.email !== 'string' || !req.body.email.includes('@')) {
    res.status(500).send('bad email');
    return;
  }
  res.status(201).json(await createAccount(req.body.email));
}
`,
      },
    ],
    governing: ['architecture/azure-rest-api-guidelines.md', 'architecture/graph-articles-errorResponses.md'],
  },
  {
    id: 116,
    persona: 'engineer',
    domain: 'development',
    flaw: 'Python module-level mutable state changed through global',
    files: [
      {
        path: 'app/rates.py',
        after: `import requests

_rates = {}
_loaded = False


def rate(currency):
    global _rates, _loaded
    if not _loaded:
        _rates = requests.get("https://rates.example.com/latest", timeout=5).json()
        _loaded = True
    return _rates[currency]
`,
      },
    ],
    governing: ['development/google-pyguide.md'],
  },
  {
    id: 117,
    persona: 'engineer',
    domain: 'development',
    flaw: 'Go receivers named this and self',
    files: [
      {
        path: 'internal/cache/cache.go',
        after: `package cache

import "sync"

type Cache struct {
	mu    sync.Mutex
	items map[string]string
}

func (this *Cache) Get(key string) (string, bool) {
	this.mu.Lock()
	defer this.mu.Unlock()
	v, ok := this.items[key]
	return v, ok
}

func (self *Cache) Set(key, value string) {
	self.mu.Lock()
	defer self.mu.Unlock()
	self.items[key] = value
}
`,
      },
    ],
    governing: ['development/google-go-decisions.md', 'development/google-go-guide.md', 'development/google-go-best-practices.md'],
  },
  {
    id: 118,
    persona: 'engineer',
    domain: 'development',
    flaw: 'shell test with [ ] and expr arithmetic',
    files: [
      {
        path: 'scripts/retry.sh',
        after: `#!/bin/bash
count=0
while [ $count -lt 5 ]; do
  if curl -fsS "$HEALTH_URL" > /dev/null; then
    exit 0
  fi
  count=\`expr $count + 1\`
  sleep 2
done
exit 1
`,
      },
    ],
    governing: ['development/google-shellguide.md'],
  },
  {
    id: 119,
    persona: 'data',
    domain: 'security',
    flaw: 'pymongo $where built with an f-string',
    files: [
      {
        path: 'analytics/cohorts.py',
        after: `from pymongo import MongoClient

db = MongoClient()["analytics"]


def older_than(age):
    return list(db.users.find({"$where": f"this.age > {age}"}))
`,
      },
    ],
    governing: [sec('NoSQL_Security'), sec('Injection_Prevention')],
  },
  {
    id: 120,
    persona: 'sre',
    domain: 'operations',
    flaw: 'Go worker ignores SIGTERM',
    files: [
      {
        path: 'cmd/worker/main.go',
        after: `package main

import (
	"os/signal"
	"syscall"
)

func main() {
	// a deploy must not interrupt a batch
	signal.Ignore(syscall.SIGTERM, syscall.SIGINT)
	for {
		processNextBatch()
	}
}
`,
      },
    ],
    governing: [ops('disposability')],
  },
];
