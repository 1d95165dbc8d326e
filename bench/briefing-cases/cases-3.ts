import { ops, sec, type BriefingCase } from './types.js';

/** Planted-flaw changes for tuning and the held-aside third (ids 33–50). */
export const CASES_3: BriefingCase[] = [
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
];
