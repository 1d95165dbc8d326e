import { ops, sec, type BriefingCase } from './types.js';

/** Planted-flaw changes written after the selection was tuned (ids 101–119). */
export const FRESH_1: BriefingCase[] = [
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
];
