/// The OpenAPI 3.0 document of the HTTP API, served at `GET /api/v1/openapi.json`. `OpenAPIDocumentTests` keeps it
/// true: every route is documented and documented routes exist, and live answers match their schemas.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.0.3",
  "info": {
    "title": "Saffron",
    "version": "1",
    "description": "Saffron, a SPICE connection broker: log in, get a desktop of a pool, open it with remote-viewer, aSpice or the browser. Every error answers {\"error\":{\"code\",\"message\"}}."
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "security": [
    {
      "bearer": []
    }
  ],
  "paths": {
    "/api/v1/login": {
      "post": {
        "summary": "Log in",
        "security": [],
        "operationId": "login",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/LoginRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "A bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LoginResponse"
                }
              }
            }
          },
          "400": {
            "description": "Malformed body",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Unknown user or wrong password (the same answer for both)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body over 64 KiB",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "Too many failed logins; see Retry-After",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/logout": {
      "post": {
        "summary": "End the login token (not the desktops)",
        "operationId": "logout",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "204": {
            "description": "Logged out"
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/me": {
      "get": {
        "summary": "Who is asking",
        "operationId": "me",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "The caller",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Me"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/pools": {
      "get": {
        "summary": "The pools granted to the caller (every pool for an admin)",
        "operationId": "listPools",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "Pools",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Pools"
                }
              }
            },
            "links": {
              "GetDesktop": {
                "operationId": "getDesktop",
                "parameters": {
                  "pool": "$response.body#/pools/0/name"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/pools/{pool}/desktop": {
      "post": {
        "summary": "Get a desktop: the caller's session in the pool, or a new one",
        "operationId": "getDesktop",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          },
          {
            "name": "another",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "true",
                "false",
                "1",
                "0"
              ]
            },
            "description": "A further desktop although the caller has one"
          }
        ],
        "responses": {
          "200": {
            "description": "The caller's existing session",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Session"
                }
              }
            },
            "links": {
              "GetSession": {
                "operationId": "getSession",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "ConsoleFile": {
                "operationId": "consoleFile",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "WebConsole": {
                "operationId": "webConsole",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "PhoneLink": {
                "operationId": "phoneLink",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "EndSession": {
                "operationId": "endSession",
                "parameters": {
                  "id": "$response.body#/id"
                }
              }
            }
          },
          "201": {
            "description": "A new session",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Session"
                }
              }
            },
            "links": {
              "GetSession": {
                "operationId": "getSession",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "ConsoleFile": {
                "operationId": "consoleFile",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "WebConsole": {
                "operationId": "webConsole",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "PhoneLink": {
                "operationId": "phoneLink",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "EndSession": {
                "operationId": "endSession",
                "parameters": {
                  "id": "$response.body#/id"
                }
              }
            }
          },
          "400": {
            "description": "Bad request or client address",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "not_entitled",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "session_limit",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "502": {
            "description": "The hypervisor failed",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "no_free_vm, no_free_port, desktop_broken, desktop_busy",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/sessions": {
      "get": {
        "summary": "The caller's sessions (all for an admin)",
        "operationId": "listSessions",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "Sessions",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Sessions"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/sessions/{id}": {
      "get": {
        "summary": "One session",
        "operationId": "getSession",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Session id"
          }
        ],
        "responses": {
          "200": {
            "description": "The session",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Session"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "session_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "delete": {
        "summary": "End a session",
        "operationId": "endSession",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Session id"
          }
        ],
        "responses": {
          "204": {
            "description": "Ended"
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "session_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/sessions/{id}/console.vv": {
      "get": {
        "summary": "A .vv file with a fresh one-time ticket",
        "operationId": "consoleFile",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Session id"
          },
          {
            "name": "client",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "remote-viewer",
                "aspice"
              ]
            }
          },
          {
            "name": "via",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "direct",
                "proxy"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The console file",
            "content": {
              "application/x-virt-viewer": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "description": "Unknown client or route",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "session_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "vm_not_ready, proxy_disabled, route_unavailable",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "502": {
            "description": "The hypervisor failed",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/sessions/{id}/web-console": {
      "post": {
        "summary": "A single-use WebSocket URL and SPICE password for an HTML5 client",
        "operationId": "webConsole",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Session id"
          }
        ],
        "responses": {
          "200": {
            "description": "Where to connect",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/WebConsole"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "session_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "vm_not_ready",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "502": {
            "description": "The hypervisor failed",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/sessions/{id}/phone-link": {
      "post": {
        "summary": "A two-minute, single-use link to the aSpice .vv (Send to phone)",
        "operationId": "phoneLink",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Session id"
          }
        ],
        "responses": {
          "200": {
            "description": "The link",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PhoneLink"
                }
              }
            }
          },
          "400": {
            "description": "No usable Host header",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "session_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/p/{token}": {
      "get": {
        "summary": "The aSpice .vv of a phone link",
        "operationId": "phoneFile",
        "security": [],
        "parameters": [
          {
            "name": "token",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Phone link token"
          }
        ],
        "responses": {
          "200": {
            "description": "The console file",
            "content": {
              "application/x-virt-viewer": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "404": {
            "description": "link_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "502": {
            "description": "The hypervisor failed",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/pools": {
      "get": {
        "summary": "Every pool with its VMs and who holds them",
        "operationId": "adminPools",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "Pools",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdminPools"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "post": {
        "summary": "Create a pool",
        "operationId": "createPool",
        "security": [
          {
            "bearer": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewPool"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new pool",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdminPool"
                }
              }
            }
          },
          "400": {
            "description": "Bad name, connection (connect_not_allowed: not among the config's libvirt.allowedURIs), desktop mode, template or policy",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "pool_exists",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body over 64 KiB",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "502": {
            "description": "The hypervisor failed (checking a template)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/pools/{pool}/vms/{vm}/repair": {
      "post": {
        "summary": "Hand a VM marked broken out again",
        "operationId": "repairVM",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          },
          {
            "name": "vm",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "VM name"
          }
        ],
        "responses": {
          "204": {
            "description": "Repaired"
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found, vm_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "vm_in_use",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "502": {
            "description": "The hypervisor failed",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/pools/{pool}/vms/{vm}/screenshot": {
      "get": {
        "summary": "A PNG thumbnail of what a running VM's screen shows now",
        "description": "Admins only. At most 320 pixels wide, keeping the screen's aspect ratio; answered with Cache-Control: no-store.",
        "operationId": "vmScreenshot",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          },
          {
            "name": "vm",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "VM name"
          }
        ],
        "responses": {
          "200": {
            "description": "The thumbnail",
            "headers": {
              "Cache-Control": {
                "schema": {
                  "type": "string",
                  "enum": [
                    "no-store"
                  ]
                }
              }
            },
            "content": {
              "image/png": {
                "schema": {
                  "type": "string",
                  "format": "binary"
                }
              }
            }
          },
          "400": {
            "description": "bad_request: a pool or VM name that is not valid percent-encoding",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found, vm_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "vm_not_running: the VM is off, paused or not created yet",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "502": {
            "description": "hypervisor_error: the screenshot could not be taken or read",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "hypervisor_unavailable: libvirt does not answer",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/pools/{pool}/vms/{vm}/unassign": {
      "post": {
        "summary": "Take a persistent desktop from its user",
        "operationId": "unassignVM",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          },
          {
            "name": "vm",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "VM name"
          }
        ],
        "responses": {
          "204": {
            "description": "Unassigned"
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found, vm_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "vm_in_use",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/audit": {
      "get": {
        "summary": "The audit log, newest first",
        "operationId": "auditLog",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            }
          },
          {
            "name": "before",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of entries",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditPage"
                }
              }
            }
          },
          "400": {
            "description": "Bad limit or before",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/users": {
      "get": {
        "summary": "Every user",
        "operationId": "adminUsers",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "Users",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Users"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "post": {
        "summary": "Add a local user",
        "operationId": "addUser",
        "security": [
          {
            "bearer": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewUser"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The user",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            }
          },
          "400": {
            "description": "Bad name, password or body",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "user_exists",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body over 64 KiB",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/nodes": {
      "get": {
        "summary": "The brokers sharing the database: address, ports, last report, what each forwards and which pools it keeps",
        "operationId": "adminNodes",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "Nodes, by name",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Nodes"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/groups": {
      "get": {
        "summary": "Every group with its members",
        "operationId": "adminGroups",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "Groups",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Groups"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "post": {
        "summary": "Create an empty group",
        "operationId": "createGroup",
        "security": [
          {
            "bearer": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewGroup"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The group",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Group"
                }
              }
            }
          },
          "400": {
            "description": "Bad name or body",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "group_exists",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body over 64 KiB",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/groups/{group}": {
      "delete": {
        "summary": "Delete a group (its grants go too)",
        "operationId": "deleteGroup",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "group",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Group name"
          }
        ],
        "responses": {
          "204": {
            "description": "Deleted"
          },
          "400": {
            "description": "Bad percent-encoding",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "group_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/groups/{group}/members/{user}": {
      "put": {
        "summary": "Add a user to a group",
        "operationId": "addMember",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "group",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Group name"
          },
          {
            "name": "user",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "User name"
          }
        ],
        "responses": {
          "204": {
            "description": "Added"
          },
          "400": {
            "description": "Bad percent-encoding",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "group_not_found, user_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "delete": {
        "summary": "Take a user out of a group",
        "operationId": "removeMember",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "group",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Group name"
          },
          {
            "name": "user",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "User name"
          }
        ],
        "responses": {
          "204": {
            "description": "Removed"
          },
          "400": {
            "description": "Bad percent-encoding",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "group_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/pools/{pool}/grants/everyone": {
      "put": {
        "summary": "Grant a pool to everyone",
        "operationId": "grantEveryone",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          }
        ],
        "responses": {
          "204": {
            "description": "Granted"
          },
          "400": {
            "description": "Bad percent-encoding",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "delete": {
        "summary": "Withdraw a pool from everyone",
        "operationId": "revokeEveryone",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          }
        ],
        "responses": {
          "204": {
            "description": "Withdrawn"
          },
          "400": {
            "description": "Bad percent-encoding",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found, grant_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/pools/{pool}/grants/users/{user}": {
      "put": {
        "summary": "Grant a pool to a user",
        "operationId": "grantUser",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          },
          {
            "name": "user",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "User name"
          }
        ],
        "responses": {
          "204": {
            "description": "Granted"
          },
          "400": {
            "description": "Bad percent-encoding",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found, user_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "delete": {
        "summary": "Withdraw a pool from a user",
        "operationId": "revokeUser",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          },
          {
            "name": "user",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "User name"
          }
        ],
        "responses": {
          "204": {
            "description": "Withdrawn"
          },
          "400": {
            "description": "Bad percent-encoding",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found, grant_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/pools/{pool}/grants/groups/{group}": {
      "put": {
        "summary": "Grant a pool to a group's members",
        "operationId": "grantGroup",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          },
          {
            "name": "group",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Group name"
          }
        ],
        "responses": {
          "204": {
            "description": "Granted"
          },
          "400": {
            "description": "Bad percent-encoding",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found, group_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "delete": {
        "summary": "Withdraw a pool from a group",
        "operationId": "revokeGroup",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          },
          {
            "name": "group",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Group name"
          }
        ],
        "responses": {
          "204": {
            "description": "Withdrawn"
          },
          "400": {
            "description": "Bad percent-encoding",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found, grant_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/openapi.json": {
      "get": {
        "summary": "This document",
        "operationId": "openAPI",
        "security": [],
        "responses": {
          "200": {
            "description": "The OpenAPI document",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "summary": "Prometheus metrics (bearer metrics.token when configured)",
        "operationId": "metrics",
        "security": [],
        "responses": {
          "200": {
            "description": "Prometheus text format",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "description": "metrics.token required",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/pools/{pool}": {
      "get": {
        "summary": "One pool with its VMs and sessions",
        "operationId": "adminPool",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          }
        ],
        "responses": {
          "200": {
            "description": "The pool",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdminPool"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "delete": {
        "summary": "Delete a pool",
        "operationId": "deletePool",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          },
          {
            "name": "discardOwned",
            "in": "query",
            "required": false,
            "schema": {
              "type": "boolean"
            },
            "description": "Also throw away persistent desktops still owned by users (template pools)"
          }
        ],
        "responses": {
          "204": {
            "description": "Deleted"
          },
          "400": {
            "description": "discardOwned is not true or false",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "pool_in_use, pool_has_owned_desktops",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/pools/{pool}/policy": {
      "patch": {
        "summary": "Change a pool's policy",
        "operationId": "updatePolicy",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PolicyPatch"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The pool's policy now",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PoolPolicy"
                }
              }
            }
          },
          "400": {
            "description": "Bad field or value",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body over 64 KiB",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/pools/{pool}/hosts": {
      "post": {
        "summary": "Spread a pool over another libvirt host (a template pool's template is checked there first)",
        "operationId": "addPoolHost",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewHost"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The pool, with its hosts",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdminPool"
                }
              }
            }
          },
          "400": {
            "description": "bad_request (a host named twice), connect_not_allowed",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body over 64 KiB",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "502": {
            "description": "hypervisor_error: the template does not fit the host",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "hypervisor_unavailable: the host does not answer",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "delete": {
        "summary": "Take a libvirt host from a pool; refused while VMs of the pool live there",
        "operationId": "removePoolHost",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          },
          {
            "name": "connect",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1
            },
            "description": "The host's libvirt connection URI, percent-encoded (+ as %2B)"
          },
          {
            "name": "gone",
            "in": "query",
            "required": false,
            "schema": {
              "type": "boolean"
            },
            "description": "The host is gone for good: end the sessions of its VMs and take those VMs out of the pool"
          }
        ],
        "responses": {
          "200": {
            "description": "The pool, with its hosts",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdminPool"
                }
              }
            }
          },
          "400": {
            "description": "No host named",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found, host_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "host_in_use: VMs live there, or it is the pool's only host",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/pools/{pool}/vms": {
      "post": {
        "summary": "Add existing libvirt domains to a pool",
        "operationId": "addVMs",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewVMs"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The pool",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdminPool"
                }
              }
            }
          },
          "400": {
            "description": "No VM named, or a template pool",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found, vm_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "vm_in_pool",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body over 64 KiB",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "502": {
            "description": "The hypervisor failed",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/pools/{pool}/vms/{vm}": {
      "delete": {
        "summary": "Take a VM out of its pool",
        "operationId": "removeVM",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "pool",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Pool name"
          },
          {
            "name": "vm",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "VM name"
          }
        ],
        "responses": {
          "204": {
            "description": "Removed (a template pool's VM is thrown away)"
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "pool_not_found, vm_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "vm_in_use",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "502": {
            "description": "The hypervisor failed",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/users/{user}": {
      "patch": {
        "summary": "Change a user's role or password",
        "operationId": "updateUser",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "user",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "User name"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UserChange"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The user",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            }
          },
          "400": {
            "description": "Nothing to change, or a bad password",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "user_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "last_admin",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body over 64 KiB",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "description": "A new password signs the user out everywhere."
      },
      "delete": {
        "summary": "Delete a user",
        "operationId": "deleteUser",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "user",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "User name"
          }
        ],
        "responses": {
          "204": {
            "description": "Deleted"
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "user_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "user_has_sessions, last_admin",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/sessions": {
      "get": {
        "summary": "Every live session",
        "operationId": "adminSessions",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "The sessions",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Sessions"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/sessions/{id}": {
      "delete": {
        "summary": "End a session",
        "operationId": "adminEndSession",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Session id"
          }
        ],
        "responses": {
          "204": {
            "description": "Ended"
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "session_not_found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/hosts": {
      "get": {
        "summary": "The libvirt hosts of the pools",
        "operationId": "adminHosts",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "The hosts",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Hosts"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/firewall": {
      "get": {
        "summary": "The firewall backend and what it forwards",
        "operationId": "adminFirewall",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "The report",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FirewallReport"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/hosts/gpus": {
      "get": {
        "summary": "The GPU boards of a pool's host",
        "operationId": "adminGPUs",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "connect",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "A host's libvirt connection URI, as GET /api/v1/admin/hosts lists it"
          }
        ],
        "responses": {
          "200": {
            "description": "Its boards with their vGPU profiles",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/GPUBoards"
                }
              }
            }
          },
          "400": {
            "description": "No connect given, or connect_not_allowed: not among the config's libvirt.allowedURIs",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "host_not_found: no pool lives there",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "502": {
            "description": "libvirt failed",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/admin/firewall/reconcile": {
      "post": {
        "summary": "Put the firewall back in step with the live sessions",
        "operationId": "reconcileFirewall",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "Whether the rules had to be rebuilt",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "rebuilt"
                  ],
                  "properties": {
                    "rebuilt": {
                      "type": "boolean"
                    }
                  }
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "forwarding_failed: the firewall could not be read or written",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/me/password": {
      "put": {
        "summary": "Change your own password",
        "operationId": "changeOwnPassword",
        "security": [
          {
            "bearer": []
          }
        ],
        "description": "Local accounts only. Every sign-in of yours ends, this one too: sign in again with the new password.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PasswordChange"
              }
            }
          }
        },
        "responses": {
          "204": {
            "description": "Changed"
          },
          "400": {
            "description": "A bad new password or body",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Not logged in, or the token expired",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "wrong_password",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "not_local: the account is PAM's or a directory's",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body over 64 KiB",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too_many_attempts",
            "headers": {
              "Retry-After": {
                "schema": {
                  "type": "integer"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    }
  },
  "components": {
    "schemas": {
      "Error": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "error"
        ],
        "properties": {
          "error": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "code",
              "message"
            ],
            "properties": {
              "code": {
                "type": "string",
                "description": "Stable machine-readable code, e.g. no_free_vm"
              },
              "message": {
                "type": "string",
                "description": "What went wrong and what to do"
              }
            }
          }
        }
      },
      "LoginRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "username",
          "password"
        ],
        "properties": {
          "username": {
            "type": "string",
            "minLength": 1
          },
          "password": {
            "type": "string",
            "minLength": 1
          }
        }
      },
      "LoginResponse": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "token",
          "expiresAt"
        ],
        "properties": {
          "token": {
            "type": "string"
          },
          "expiresAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "Me": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "admin",
          "auditor"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "admin": {
            "type": "boolean"
          },
          "auditor": {
            "type": "boolean",
            "description": "May read the admin views, and change nothing"
          }
        }
      },
      "Pool": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "connect",
          "desktops",
          "vms",
          "freeVMs",
          "capacity",
          "desktopsPerUser",
          "consoleVia"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "connect": {
            "type": "string"
          },
          "desktops": {
            "type": "string",
            "enum": [
              "pooled",
              "volatile",
              "persistent"
            ]
          },
          "vms": {
            "type": "integer"
          },
          "freeVMs": {
            "type": "integer"
          },
          "capacity": {
            "type": "integer",
            "description": "Desktops the pool can hand out at once: its VMs, and for a template pool those it may still create"
          },
          "desktopsPerUser": {
            "type": "integer"
          },
          "consoleVia": {
            "type": "string",
            "enum": [
              "direct",
              "proxy"
            ]
          }
        }
      },
      "Pools": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "pools"
        ],
        "properties": {
          "pools": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Pool"
            }
          }
        }
      },
      "Session": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "pool",
          "vm",
          "host",
          "port",
          "user",
          "clientAddress",
          "state",
          "via",
          "createdAt",
          "attached",
          "attachedChannels",
          "consoleOpenedBy"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "pool": {
            "type": "string"
          },
          "vm": {
            "type": "string"
          },
          "host": {
            "type": "string"
          },
          "port": {
            "type": "integer"
          },
          "user": {
            "type": "string"
          },
          "clientAddress": {
            "type": "string"
          },
          "state": {
            "type": "string",
            "enum": [
              "starting",
              "ready"
            ]
          },
          "via": {
            "type": "string",
            "enum": [
              "direct",
              "proxy"
            ]
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "attached": {
            "type": "boolean"
          },
          "attachedChannels": {
            "type": "integer"
          },
          "presenceChangedAt": {
            "type": "string",
            "format": "date-time"
          },
          "consoleOpenedBy": {
            "description": "Admins given a way into this desktop (a .vv, a browser console or a phone link), newest first",
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": ["by", "at"],
              "properties": {
                "by": {"type": "string"},
                "at": {"type": "string", "format": "date-time"}
              }
            }
          }
        }
      },
      "Sessions": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "sessions"
        ],
        "properties": {
          "sessions": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Session"
            }
          }
        }
      },
      "WebConsole": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "url",
          "tokenExpiresAt",
          "password",
          "passwordValidUntil"
        ],
        "properties": {
          "url": {
            "type": "string"
          },
          "tokenExpiresAt": {
            "type": "string",
            "format": "date-time"
          },
          "password": {
            "type": "string"
          },
          "passwordValidUntil": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "PhoneLink": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "url",
          "expiresAt"
        ],
        "properties": {
          "url": {
            "type": "string"
          },
          "expiresAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "PoolPolicy": {
        "type": "object",
        "description": "The pool's policy (see saffron pool set)."
      },
      "AdminVM": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "created",
          "owner",
          "resetting",
          "broken",
          "running",
          "session",
          "host"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "created": {
            "type": "boolean"
          },
          "owner": {
            "type": "string",
            "nullable": true
          },
          "resetting": {
            "type": "boolean"
          },
          "broken": {
            "type": "string",
            "nullable": true
          },
          "running": {
            "type": "boolean",
            "nullable": true,
            "description": "Whether the hypervisor runs the VM now; null when it did not answer"
          },
          "session": {
            "allOf": [
              {
                "$ref": "#/components/schemas/Session"
              }
            ],
            "nullable": true
          },
          "host": {
            "type": "string",
            "nullable": true,
            "description": "libvirt connection URI of the host the VM lives on; null for a template pool's VM not created yet"
          }
        }
      },
      "AdminPool": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "connect",
          "hosts",
          "desktops",
          "freeVMs",
          "access",
          "policy",
          "vms"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "connect": {
            "type": "string",
            "description": "The pool's first host"
          },
          "hosts": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Every libvirt host of the pool, its first one first"
          },
          "desktops": {
            "type": "string"
          },
          "maxVMs": {
            "type": "integer",
            "description": "Template pools only: how many VMs the pool may create"
          },
          "freeVMs": {
            "type": "integer"
          },
          "access": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "everyone, user:NAME or group:NAME; empty: admins only"
          },
          "policy": {
            "$ref": "#/components/schemas/PoolPolicy"
          },
          "vms": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AdminVM"
            }
          }
        }
      },
      "AdminPools": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "pools"
        ],
        "properties": {
          "pools": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AdminPool"
            }
          }
        }
      },
      "User": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "admin",
          "local",
          "createdAt",
          "auditor"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "admin": {
            "type": "boolean"
          },
          "local": {
            "type": "boolean",
            "description": "Has a local password (false: made at a first PAM login)"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "auditor": {
            "type": "boolean",
            "description": "May read the admin views, and change nothing"
          }
        }
      },
      "Users": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "users"
        ],
        "properties": {
          "users": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/User"
            }
          }
        }
      },
      "NewUser": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "password"
        ],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64
          },
          "password": {
            "type": "string",
            "minLength": 1,
            "maxLength": 72
          },
          "admin": {
            "type": "boolean"
          },
          "auditor": {
            "type": "boolean"
          }
        }
      },
      "Node": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "publicAddress",
          "portRange",
          "forwardedSessions",
          "startedAt",
          "lastSeen",
          "isUp",
          "keptPools",
          "roles"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "publicAddress": {
            "type": "string"
          },
          "portRange": {
            "type": "string",
            "description": "FIRST-LAST"
          },
          "forwardedSessions": {
            "type": "integer",
            "description": "The sessions it forwards: ready sessions handed out on its address"
          },
          "startedAt": {
            "type": "string",
            "format": "date-time"
          },
          "lastSeen": {
            "type": "string",
            "format": "date-time"
          },
          "isUp": {
            "type": "boolean",
            "description": "Whether it reported within the last 20 s"
          },
          "keptPools": {
            "type": "array",
            "description": "Pools whose upkeep lease it holds",
            "items": {
              "type": "string"
            }
          },
          "roles": {
            "type": "array",
            "description": "What it does (node.roles)",
            "items": {
              "type": "string",
              "enum": [
                "api",
                "gateway",
                "proxy",
                "upkeep"
              ]
            }
          }
        }
      },
      "Nodes": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "nodes"
        ],
        "properties": {
          "nodes": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Node"
            }
          }
        }
      },
      "Group": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "members",
          "createdAt"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "members": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "Groups": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "groups"
        ],
        "properties": {
          "groups": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Group"
            }
          }
        }
      },
      "NewGroup": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name"
        ],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64
          }
        }
      },
      "AuditEvent": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "at",
          "actor",
          "action",
          "subject",
          "clientAddress",
          "succeeded",
          "detail"
        ],
        "properties": {
          "id": {
            "type": "integer"
          },
          "at": {
            "type": "string",
            "format": "date-time"
          },
          "actor": {
            "type": "string"
          },
          "action": {
            "type": "string"
          },
          "subject": {
            "type": "string"
          },
          "clientAddress": {
            "type": "string",
            "nullable": true
          },
          "succeeded": {
            "type": "boolean"
          },
          "detail": {
            "type": "string"
          }
        }
      },
      "AuditPage": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "events",
          "nextBefore"
        ],
        "properties": {
          "events": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AuditEvent"
            }
          },
          "nextBefore": {
            "type": "integer",
            "nullable": true
          }
        }
      },
      "PolicyPatch": {
        "type": "object",
        "additionalProperties": false,
        "description": "Fields left out stay as they are; null turns a time limit off.",
        "properties": {
          "spares": {
            "type": "integer",
            "minimum": 0
          },
          "bootLimit": {
            "type": "integer",
            "minimum": 1,
            "maximum": 64
          },
          "spareLingerSeconds": {
            "type": "integer",
            "minimum": 0
          },
          "attachWindowSeconds": {
            "type": "integer",
            "minimum": 1,
            "nullable": true
          },
          "disconnectGraceSeconds": {
            "type": "integer",
            "minimum": 1,
            "nullable": true
          },
          "idleShutdownSeconds": {
            "type": "integer",
            "minimum": 1,
            "nullable": true
          },
          "ticketValiditySeconds": {
            "type": "integer",
            "minimum": 1,
            "maximum": 86400,
            "nullable": true
          },
          "maxSessionsPerUser": {
            "type": "integer",
            "minimum": 1
          },
          "consoleRoute": {
            "type": "string",
            "enum": [
              "direct",
              "proxy"
            ]
          }
        }
      },
      "NewHost": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "connect"
        ],
        "properties": {
          "connect": {
            "type": "string",
            "minLength": 1,
            "description": "libvirt connection URI of the host, e.g. qemu+tcp://hv2.example/system"
          }
        }
      },
      "NewPool": {
        "type": "object",
        "additionalProperties": false,
        "description": "Give connect (one host) or hosts (several), not both",
        "required": [
          "name"
        ],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64
          },
          "connect": {
            "type": "string",
            "description": "libvirt connection URI of the pool's host, e.g. qemu:///system"
          },
          "hosts": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "string"
            },
            "description": "libvirt connection URIs of the pool's hosts, its first one first (instead of connect)"
          },
          "desktops": {
            "type": "string",
            "enum": [
              "pooled",
              "volatile",
              "persistent"
            ]
          },
          "private": {
            "type": "boolean",
            "description": "Grant it to no one yet (default: everyone)"
          },
          "policy": {
            "$ref": "#/components/schemas/PolicyPatch"
          },
          "template": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "domainXML",
              "baseImage"
            ],
            "properties": {
              "domainXML": {
                "type": "string"
              },
              "baseImage": {
                "type": "string"
              },
              "storagePool": {
                "type": "string"
              },
              "maxVMs": {
                "type": "integer",
                "minimum": 1,
                "maximum": 999
              },
              "gpu": {
                "type": "string",
                "description": "passthrough or vgpu:TYPE"
              },
              "hideHypervisor": {
                "type": "boolean"
              },
              "hypervVendorID": {
                "type": "string"
              }
            }
          }
        }
      },
      "NewVMs": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "vms"
        ],
        "properties": {
          "vms": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "string"
            }
          }
        }
      },
      "UserChange": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "admin": {
            "type": "boolean"
          },
          "password": {
            "type": "string",
            "minLength": 1,
            "maxLength": 72
          },
          "auditor": {
            "type": "boolean"
          }
        }
      },
      "Host": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "connect",
          "pools",
          "reachable",
          "domains",
          "running",
          "poolVMs",
          "poolVMsRunning",
          "error"
        ],
        "properties": {
          "connect": {
            "type": "string"
          },
          "pools": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "reachable": {
            "type": "boolean"
          },
          "domains": {
            "type": "integer",
            "nullable": true
          },
          "running": {
            "type": "integer",
            "nullable": true
          },
          "poolVMs": {
            "type": "integer"
          },
          "poolVMsRunning": {
            "type": "integer",
            "nullable": true
          },
          "error": {
            "type": "string",
            "nullable": true
          }
        }
      },
      "Hosts": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "hosts"
        ],
        "properties": {
          "hosts": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Host"
            }
          }
        }
      },
      "FirewallReport": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "backend",
          "ready",
          "forwarded",
          "liveSessions",
          "error"
        ],
        "properties": {
          "backend": {
            "type": "string"
          },
          "ready": {
            "type": "boolean"
          },
          "forwarded": {
            "type": "integer",
            "nullable": true
          },
          "liveSessions": {
            "type": "integer"
          },
          "error": {
            "type": "string",
            "nullable": true
          }
        }
      },
      "GPUBoard": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "address",
          "nodeName",
          "pciClass",
          "profiles",
          "vgpusInUse",
          "passthroughDomains",
          "freeForPassthrough"
        ],
        "properties": {
          "address": {
            "type": "string"
          },
          "nodeName": {
            "type": "string"
          },
          "vendor": {
            "type": "string",
            "nullable": true
          },
          "product": {
            "type": "string",
            "nullable": true
          },
          "pciClass": {
            "type": "string"
          },
          "profiles": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "type",
                "deviceAPI",
                "maxPerBoard",
                "inUse",
                "available"
              ],
              "properties": {
                "type": {
                  "type": "string"
                },
                "name": {
                  "type": "string",
                  "nullable": true
                },
                "framebufferMiB": {
                  "type": "integer",
                  "nullable": true
                },
                "deviceAPI": {
                  "type": "string"
                },
                "maxPerBoard": {
                  "type": "integer"
                },
                "inUse": {
                  "type": "integer"
                },
                "available": {
                  "type": "integer"
                }
              }
            }
          },
          "vgpusInUse": {
            "type": "integer"
          },
          "passthroughDomains": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "freeForPassthrough": {
            "type": "boolean"
          }
        }
      },
      "GPUBoards": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "boards"
        ],
        "properties": {
          "boards": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/GPUBoard"
            }
          }
        }
      },
      "PasswordChange": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "current",
          "new"
        ],
        "properties": {
          "current": {
            "type": "string"
          },
          "new": {
            "type": "string",
            "minLength": 1,
            "maxLength": 72
          }
        }
      }
    },
    "securitySchemes": {
      "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "The token from POST /api/v1/login"
      }
    }
  }
}
"""#
}
