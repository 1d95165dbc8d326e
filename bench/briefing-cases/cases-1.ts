import { sec, type BriefingCase } from './types.js';

/** Planted-flaw changes for tuning and the held-aside third (ids 1–15). */
export const CASES_1: BriefingCase[] = [
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
];
