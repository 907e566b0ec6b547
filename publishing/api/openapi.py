"""The OpenAPI 3.1 description of the content API, served at
/api/ninjs/openapi.json. Written by hand because the payload is a
standard's (ninjs 3.1 is a JSON Schema 2020-12 document, which OpenAPI 3.1
references as it is); tests validate real responses against it, so it
cannot drift from the views."""

NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"


def _error(description):
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def document(server_url):
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Hội Tụ content API (IPTC ninjs)",
            "version": "1.0.0",
            "description": (
                "Published stories of the press units granted to a partner, as IPTC ninjs 3.1. "
                "Poll GET / with `since` set to the previous answer's `next`: every story that changed is listed once, "
                "in the order of its latest change, as it is now; a story taken down is `pubStatus: canceled` "
                "(remove it), and a story deleted is a minimal item with only its `uri`, `type`, `pubStatus: canceled` "
                "and the time it left. `uri` identifies a story for good; `version` grows with every change."
            ),
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "security": [{"partnerToken": []}],
        "paths": {
            "/": {
                "get": {
                    "operationId": "listChanges",
                    "summary": "Stories changed since a cursor",
                    "parameters": [
                        {
                            "name": "since",
                            "in": "query",
                            "required": False,
                            "description": "The `next` of a previous answer; omit it to start from the beginning.",
                            "schema": {"type": "string", "pattern": "^[0-9]{1,18}$"},
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "description": "Stories per answer.",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                        },
                        {
                            "name": "unit",
                            "in": "query",
                            "required": False,
                            "description": "Only this unit's stories (its code); it must be granted to the partner.",
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": {"description": "Changed stories", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Changes"}}}},
                        "400": _error("A malformed cursor or limit, or a unit not granted"),
                        "401": _error("Missing, invalid or suspended token"),
                        "429": _error("Too many requests (see Retry-After)"),
                    },
                }
            },
            "/{ref}/": {
                "get": {
                    "operationId": "getStory",
                    "summary": "One story as it is now",
                    "parameters": [
                        {
                            "name": "ref",
                            "in": "path",
                            "required": True,
                            "description": "The story's ninjs `uri` (urn:hoitu:<unit>:<id>) or its numeric id.",
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The story (a minimal canceled item if it was deleted)",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ninjs"}}},
                        },
                        "401": _error("Missing, invalid or suspended token"),
                        "404": _error("No such story for this partner"),
                        "429": _error("Too many requests (see Retry-After)"),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This description",
                    "security": [],
                    "responses": {"200": {"description": "OpenAPI 3.1 document", "content": {"application/json": {"schema": {"type": "object"}}}}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "partnerToken": {"type": "http", "scheme": "bearer", "description": "The token issued to the partner (shown once)."}
            },
            "schemas": {
                "Ninjs": {"$ref": NINJS_SCHEMA},
                "Changes": {
                    "type": "object",
                    "required": ["items", "next", "has_more"],
                    "additionalProperties": False,
                    "properties": {
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Ninjs"}},
                        "next": {"type": "string", "pattern": "^[0-9]{1,18}$", "description": "Pass as `since` to get what changed after."},
                        "has_more": {"type": "boolean", "description": "More changes wait: ask again at once with `since=next`."},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "additionalProperties": False,
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "additionalProperties": False,
                            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                        }
                    },
                },
            },
        },
    }
