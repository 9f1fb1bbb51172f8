"""The role matrix's expected statuses: one row per page (by URL name) or API path, and
method; one column per user. `tests/platform/test_role_matrix.py` sends each request as each
user and compares.

A cell is a status, or statuses joined by `/` when more than one means the same: `200/400`
is "allowed past the door" (the body was read, and may be refused for its content). 403 is
refused by the rules; 401 (API) and 302 (pages, to the sign-in) are "sign in first"; 405 is a
method the endpoint does not take; 404 an object the pattern's id does not reach; 409 a move
the workflow refuses (so allowed past the permission); 429 the lockout.

The users, in the columns' order (anon, eng, pmo, itsm, exec, cab, inact): `anonymous`; one
user per role (`engineer`, `pmo_lead`, `itsm_manager`, `executive`); `cab_member`, an
engineer in the group the approval policy names for normal changes (`cab`); `inactive`, a
PMO lead saved inactive whose session is forced (must match anonymous). The objects are
someone else's: the engineer column is an engineer's view of a colleague's change,
incident, lesson (tests/platform/role_matrix_support.py `seed`).

A new endpoint without a row fails the suite and prints the row to add, with what it
answered: check each status against the rule before pasting it.
"""

from .role_matrix_support import USERS

# The admin: staff only. One row for every page of it (the index, and each registered
# model's list and add pages): none of the users is staff.
ADMIN = "admin/*"

TABLE = """
# method key                                            anon   eng   pmo  itsm  exec   cab inact

# --- API: sign-in, the current user, the schema and its docs
POST   /api/auth/token/                                 400   400   400   400   400   400   400
GET    /api/me/                                         401   200   200   200   200   200   401
GET    /api/dashboard/                                  401   200   200   200   200   200   401
GET    /api/schema/                                     401   200   200   200   200   200   401
POST   /api/schema/                                     401   405   405   405   405   405   401
GET    /api/docs/                                       401   200   200   200   200   200   401
POST   /api/docs/                                       401   405   405   405   405   405   401

# --- API: portfolio. CRUD needs the role's model permission (PMO leads manage the
# portfolio); the transition is the move table's (PMO leads).
GET    /api/portfolio/                                  401   200   200   200   200   200   401
POST   /api/portfolio/                                  401   405   405   405   405   405   401
GET    /api/portfolio/benefits/                         401   200   200   200   200   200   401
POST   /api/portfolio/benefits/                         401   403   201   403   403   403   401
GET    /api/portfolio/benefits/{id}/                    401   200   200   200   200   200   401
PUT    /api/portfolio/benefits/{id}/                    401   403   200   403   403   403   401
PATCH  /api/portfolio/benefits/{id}/                    401   403   200   403   403   403   401
DELETE /api/portfolio/benefits/{id}/                    401   403   204   403   403   403   401
GET    /api/portfolio/costs/                            401   200   200   200   200   200   401
POST   /api/portfolio/costs/                            401   403   400   403   403   403   401
GET    /api/portfolio/costs/{id}/                       401   200   200   200   200   200   401
PUT    /api/portfolio/costs/{id}/                       401   403   200   403   403   403   401
PATCH  /api/portfolio/costs/{id}/                       401   403   200   403   403   403   401
DELETE /api/portfolio/costs/{id}/                       401   403   204   403   403   403   401
GET    /api/portfolio/criteria/                         401   200   200   200   200   200   401
POST   /api/portfolio/criteria/                         401   403   201   403   403   403   401
GET    /api/portfolio/criteria/{id}/                    401   200   200   200   200   200   401
PUT    /api/portfolio/criteria/{id}/                    401   403   200   403   403   403   401
PATCH  /api/portfolio/criteria/{id}/                    401   403   200   403   403   403   401
DELETE /api/portfolio/criteria/{id}/                    401   403   400   403   403   403   401
GET    /api/portfolio/milestones/                       401   200   200   200   200   200   401
POST   /api/portfolio/milestones/                       401   403   201   403   403   403   401
GET    /api/portfolio/milestones/{id}/                  401   200   200   200   200   200   401
PUT    /api/portfolio/milestones/{id}/                  401   403   200   403   403   403   401
PATCH  /api/portfolio/milestones/{id}/                  401   403   200   403   403   403   401
DELETE /api/portfolio/milestones/{id}/                  401   403   204   403   403   403   401
GET    /api/portfolio/objectives/                       401   200   200   200   200   200   401
POST   /api/portfolio/objectives/                       401   403   201   403   403   403   401
GET    /api/portfolio/objectives/{id}/                  401   200   200   200   200   200   401
PUT    /api/portfolio/objectives/{id}/                  401   403   200   403   403   403   401
PATCH  /api/portfolio/objectives/{id}/                  401   403   200   403   403   403   401
DELETE /api/portfolio/objectives/{id}/                  401   403   204   403   403   403   401
GET    /api/portfolio/projects/                         401   200   200   200   200   200   401
POST   /api/portfolio/projects/                         401   403   201   403   403   403   401
GET    /api/portfolio/projects/{id}/                    401   200   200   200   200   200   401
PUT    /api/portfolio/projects/{id}/                    401   403   200   403   403   403   401
PATCH  /api/portfolio/projects/{id}/                    401   403   200   403   403   403   401
DELETE /api/portfolio/projects/{id}/                    401   403   409   403   403   403   401
POST   /api/portfolio/projects/{id}/transition/         401   403   200   403   403   403   401
GET    /api/portfolio/ranking/                          401   200   200   200   200   200   401
GET    /api/portfolio/risks/                            401   200   200   200   200   200   401
POST   /api/portfolio/risks/                            401   403   201   403   403   403   401
GET    /api/portfolio/risks/{id}/                       401   200   200   200   200   200   401
PUT    /api/portfolio/risks/{id}/                       401   403   200   403   403   403   401
PATCH  /api/portfolio/risks/{id}/                       401   403   200   403   403   403   401
DELETE /api/portfolio/risks/{id}/                       401   403   204   403   403   403   401
GET    /api/portfolio/scores/                           401   200   200   200   200   200   401
POST   /api/portfolio/scores/                           401   403   400   403   403   403   401
GET    /api/portfolio/scores/{id}/                      401   200   200   200   200   200   401
PUT    /api/portfolio/scores/{id}/                      401   403   200   403   403   403   401
PATCH  /api/portfolio/scores/{id}/                      401   403   200   403   403   403   401
DELETE /api/portfolio/scores/{id}/                      401   403   204   403   403   403   401
GET    /api/portfolio/services/                         401   200   200   200   200   200   401
POST   /api/portfolio/services/                         401   403   201   403   403   403   401
GET    /api/portfolio/services/{id}/                    401   200   200   200   200   200   401
PUT    /api/portfolio/services/{id}/                    401   403   200   403   403   403   401
PATCH  /api/portfolio/services/{id}/                    401   403   200   403   403   403   401
DELETE /api/portfolio/services/{id}/                    401   403   409   403   403   403   401

# --- API: resources. PMO leads plan; acknowledging conflicts and asking for a recompute
# are the PMO leads' and ITSM managers'.
GET    /api/resources/                                  401   200   200   200   200   200   401
POST   /api/resources/                                  401   405   405   405   405   405   401
GET    /api/resources/absences/                         401   200   200   200   200   200   401
POST   /api/resources/absences/                         401   403   201   403   403   403   401
GET    /api/resources/absences/{id}/                    401   200   200   200   200   200   401
PUT    /api/resources/absences/{id}/                    401   403   200   403   403   403   401
PATCH  /api/resources/absences/{id}/                    401   403   200   403   403   403   401
DELETE /api/resources/absences/{id}/                    401   403   204   403   403   403   401
GET    /api/resources/allocations/                      401   200   200   200   200   200   401
POST   /api/resources/allocations/                      401   403   201   403   403   403   401
GET    /api/resources/allocations/{id}/                 401   200   200   200   200   200   401
PUT    /api/resources/allocations/{id}/                 401   403   200   403   403   403   401
PATCH  /api/resources/allocations/{id}/                 401   403   200   403   403   403   401
DELETE /api/resources/allocations/{id}/                 401   403   204   403   403   403   401
GET    /api/resources/conflicts/                        401   200   200   200   200   200   401
GET    /api/resources/conflicts/{id}/                   401   200   200   200   200   200   401
POST   /api/resources/conflicts/{id}/acknowledge/       401   403   200   200   403   403   401
GET    /api/resources/demands/                          401   200   200   200   200   200   401
POST   /api/resources/demands/                          401   403   201   403   403   403   401
GET    /api/resources/demands/{id}/                     401   200   200   200   200   200   401
PUT    /api/resources/demands/{id}/                     401   403   200   403   403   403   401
PATCH  /api/resources/demands/{id}/                     401   403   200   403   403   403   401
DELETE /api/resources/demands/{id}/                     401   403   204   403   403   403   401
GET    /api/resources/load/                             401   200   200   200   200   200   401
GET    /api/resources/people/                           401   200   200   200   200   200   401
POST   /api/resources/people/                           401   403   201   403   403   403   401
GET    /api/resources/people/{id}/                      401   200   200   200   200   200   401
PUT    /api/resources/people/{id}/                      401   403   200   403   403   403   401
PATCH  /api/resources/people/{id}/                      401   403   200   403   403   403   401
DELETE /api/resources/people/{id}/                      401   403   204   403   403   403   401
POST   /api/resources/recompute/                        401   403   202   202   403   403   401
GET    /api/resources/skills/                           401   200   200   200   200   200   401
POST   /api/resources/skills/                           401   403   201   403   403   403   401
GET    /api/resources/skills/{id}/                      401   200   200   200   200   200   401
PUT    /api/resources/skills/{id}/                      401   403   200   403   403   403   401
PATCH  /api/resources/skills/{id}/                      401   403   200   403   403   403   401
DELETE /api/resources/skills/{id}/                      401   403   409   403   403   403   401
GET    /api/resources/snapshots/latest/                 401   200   200   200   200   200   401
GET    /api/resources/teams/                            401   200   200   200   200   200   401
POST   /api/resources/teams/                            401   403   201   403   403   403   401
GET    /api/resources/teams/{id}/                       401   200   200   200   200   200   401
PUT    /api/resources/teams/{id}/                       401   403   200   403   403   403   401
PATCH  /api/resources/teams/{id}/                       401   403   200   403   403   403   401
DELETE /api/resources/teams/{id}/                       401   403   409   403   403   403   401

# --- API: change control. Engineers and ITSM managers raise changes; a change is worked
# on by who raised or implements it and by ITSM managers (someone else's change: engineer
# 403); PUT/PATCH of a change waiting for the CAB is 409 (not editable in that state).
# The CAB decision is the approval policy's group: here `cab`, so the CAB member 201 and
# the ITSM manager 403. Reviews: POST copies an existing review, so who may is 400.
GET    /api/changes/                                    401   200   200   200   200   200   401
POST   /api/changes/                                    401   405   405   405   405   405   401
GET    /api/changes/changes/                            401   200   200   200   200   200   401
POST   /api/changes/changes/                            401   201   403   201   403   201   401
GET    /api/changes/changes/{id}/                       401   200   200   200   200   200   401
PUT    /api/changes/changes/{id}/                       401   403   403   409   403   403   401
PATCH  /api/changes/changes/{id}/                       401   403   403   409   403   403   401
GET    /api/changes/changes/{id}/approvals/             401   200   200   200   200   200   401
POST   /api/changes/changes/{id}/approvals/             401   403   403   403   403   201   401
POST   /api/changes/changes/{id}/freeze-exception/      401   403   403   200   403   403   401
POST   /api/changes/changes/{id}/risk-override/         401   403   403   200   403   403   401
GET    /api/changes/changes/{id}/slots/                 401   200   200   200   200   200   401
POST   /api/changes/changes/{id}/transition/            401   403   403   200   403   403   401
GET    /api/changes/freezes/                            401   200   200   200   200   200   401
POST   /api/changes/freezes/                            401   403   403   201   403   403   401
GET    /api/changes/freezes/{id}/                       401   200   200   200   200   200   401
PUT    /api/changes/freezes/{id}/                       401   403   403   200   403   403   401
PATCH  /api/changes/freezes/{id}/                       401   403   403   200   403   403   401
DELETE /api/changes/freezes/{id}/                       401   403   403   204   403   403   401
GET    /api/changes/items/                              401   200   200   200   200   200   401
POST   /api/changes/items/                              401   403   403   201   403   403   401
GET    /api/changes/items/{id}/                         401   200   200   200   200   200   401
PUT    /api/changes/items/{id}/                         401   403   403   200   403   403   401
PATCH  /api/changes/items/{id}/                         401   403   403   200   403   403   401
DELETE /api/changes/items/{id}/                         401   403   403   204   403   403   401
GET    /api/changes/policies/                           401   200   200   200   200   200   401
POST   /api/changes/policies/                           401   403   403   400   403   403   401
GET    /api/changes/policies/{id}/                      401   200   200   200   200   200   401
PUT    /api/changes/policies/{id}/                      401   403   403   200   403   403   401
PATCH  /api/changes/policies/{id}/                      401   403   403   200   403   403   401
DELETE /api/changes/policies/{id}/                      401   403   403   204   403   403   401
GET    /api/changes/reviews/                            401   200   200   200   200   200   401
POST   /api/changes/reviews/                            401   400   403   400   403   400   401
GET    /api/changes/reviews/{id}/                       401   200   200   200   200   200   401
POST   /api/changes/reviews/{id}/correct/               401   403   403   200   403   403   401
GET    /api/changes/templates/                          401   200   200   200   200   200   401
POST   /api/changes/templates/                          401   403   403   201   403   403   401
GET    /api/changes/templates/{id}/                     401   200   200   200   200   200   401
PUT    /api/changes/templates/{id}/                     401   403   403   200   403   403   401
PATCH  /api/changes/templates/{id}/                     401   403   403   200   403   403   401
DELETE /api/changes/templates/{id}/                     401   403   403   204   403   403   401

# --- API: handover and incidents. PMO leads and ITSM managers plan handovers; engineers
# and ITSM managers log and work incidents; ITSM managers manage problems and criteria.
GET    /api/handover/                                   401   200   200   200   200   200   401
POST   /api/handover/                                   401   405   405   405   405   405   401
GET    /api/handover/checks/                            401   200   200   200   200   200   401
GET    /api/handover/checks/{id}/                       401   200   200   200   200   200   401
PUT    /api/handover/checks/{id}/                       401   403   200   200   403   403   401
PATCH  /api/handover/checks/{id}/                       401   403   200   200   403   403   401
GET    /api/handover/criteria/                          401   200   200   200   200   200   401
POST   /api/handover/criteria/                          401   403   403   201   403   403   401
GET    /api/handover/criteria/{id}/                     401   200   200   200   200   200   401
PUT    /api/handover/criteria/{id}/                     401   403   403   200   403   403   401
PATCH  /api/handover/criteria/{id}/                     401   403   403   200   403   403   401
DELETE /api/handover/criteria/{id}/                     401   403   403   409   403   403   401
GET    /api/handover/handovers/                         401   200   200   200   200   200   401
POST   /api/handover/handovers/                         401   403   400   400   403   403   401
GET    /api/handover/handovers/{id}/                    401   200   200   200   200   200   401
PUT    /api/handover/handovers/{id}/                    401   403   200   200   403   403   401
PATCH  /api/handover/handovers/{id}/                    401   403   200   200   403   403   401
POST   /api/handover/handovers/{id}/transition/         401   403   200   200   403   403   401
GET    /api/handover/handovers/{id}/transitions/        401   200   200   200   200   200   401
GET    /api/handover/incidents/                         401   200   200   200   200   200   401
POST   /api/handover/incidents/                         401   201   403   201   403   201   401
GET    /api/handover/incidents/{id}/                    401   200   200   200   200   200   401
PUT    /api/handover/incidents/{id}/                    401   200   403   200   403   200   401
PATCH  /api/handover/incidents/{id}/                    401   200   403   200   403   200   401
POST   /api/handover/incidents/{id}/transition/         401   200   403   200   403   200   401
GET    /api/handover/incidents/{id}/transitions/        401   200   200   200   200   200   401
GET    /api/handover/problems/                          401   200   200   200   200   200   401
POST   /api/handover/problems/                          401   403   403   201   403   403   401
GET    /api/handover/problems/{id}/                     401   200   200   200   200   200   401
PUT    /api/handover/problems/{id}/                     401   403   403   200   403   403   401
PATCH  /api/handover/problems/{id}/                     401   403   403   200   403   403   401
DELETE /api/handover/problems/{id}/                     401   403   403   204   403   403   401
POST   /api/handover/problems/{id}/transition/          401   403   403   200   403   403   401
GET    /api/handover/problems/{id}/transitions/         401   200   200   200   200   200   401
GET    /api/handover/worklogs/                          401   200   200   200   200   200   401
POST   /api/handover/worklogs/                          401   403   403   201   403   403   401
GET    /api/handover/worklogs/{id}/                     401   200   200   200   200   200   401
# Queues and assignment (issue 17): every role reads the catalogue, the queues and the
# assignment history; ITSM managers keep the catalogue; engineers and ITSM managers assign.
GET    /api/handover/categories/                        401   200   200   200   200   200   401
POST   /api/handover/categories/                        401   403   403   201   403   403   401
GET    /api/handover/categories/{id}/                   401   200   200   200   200   200   401
PUT    /api/handover/categories/{id}/                   401   403   403   200   403   403   401
PATCH  /api/handover/categories/{id}/                   401   403   403   200   403   403   401
DELETE /api/handover/categories/{id}/                   401   403   403   204   403   403   401
POST   /api/handover/incidents/{id}/assign/             401   200   403   200   403   200   401
GET    /api/handover/incidents/{id}/reassignments/      401   200   200   200   200   200   401
GET    /api/handover/queues/                            401   200   200   200   200   200   401

# --- API: major incidents. Everyone reads them; ITSM managers declare (the seeded copy is
# already declared: 400) and run them; the matrix's engineer is not engaged (403) nor the
# action's owner (403). The seeded one is active: closing it is 409.
GET    /api/handover/major-incidents/                   401   200   200   200   200   200   401
POST   /api/handover/major-incidents/                   401   403   403   400   403   403   401
GET    /api/handover/major-incidents/{id}/              401   200   200   200   200   200   401
POST   /api/handover/major-incidents/{id}/actions/      401   403   403   201   403   403   401
POST   /api/handover/major-incidents/{id}/engagements/  401   403   403   201   403   403   401
POST   /api/handover/major-incidents/{id}/release/      401   403   403   200   403   403   401
POST   /api/handover/major-incidents/{id}/review/       401   403   403   200   403   403   401
POST   /api/handover/major-incidents/{id}/transition/   401   403   403   409   403   403   401
POST   /api/handover/major-incidents/{id}/updates/      401   403   403   201   403   403   401
GET    /api/handover/review-actions/                    401   200   200   200   200   200   401
GET    /api/handover/review-actions/{id}/               401   200   200   200   200   200   401
POST   /api/handover/review-actions/{id}/complete/      401   403   403   200   403   403   401

# --- API: problem management (issue 17). The known errors the incident form suggests are
# read by every role.
GET    /api/handover/known-errors/                      401   200   200   200   200   200   401

# --- API: knowledge. Everyone writes lessons and articles and marks lessons applied;
# editing someone else's and publishing are the PMO leads' and ITSM managers'.
GET    /api/knowledge/                                  401   200   200   200   200   200   401
POST   /api/knowledge/                                  401   405   405   405   405   405   401
GET    /api/knowledge/articles/                         401   200   200   200   200   200   401
POST   /api/knowledge/articles/                         401   201   201   201   201   201   401
GET    /api/knowledge/articles/{id}/                    401   200   200   200   200   200   401
PUT    /api/knowledge/articles/{id}/                    401   403   200   200   403   403   401
PATCH  /api/knowledge/articles/{id}/                    401   403   200   200   403   403   401
POST   /api/knowledge/articles/{id}/transition/         401   403   200   200   403   403   401
GET    /api/knowledge/lessons/                          401   200   200   200   200   200   401
POST   /api/knowledge/lessons/                          401   201   201   201   201   201   401
GET    /api/knowledge/lessons/similar/                  401   400   400   400   400   400   401
POST   /api/knowledge/lessons/similar/                  401   200   200   200   200   200   401
GET    /api/knowledge/lessons/{id}/                     401   200   200   200   200   200   401
PUT    /api/knowledge/lessons/{id}/                     401   403   200   200   403   403   401
PATCH  /api/knowledge/lessons/{id}/                     401   403   200   200   403   403   401
POST   /api/knowledge/lessons/{id}/apply/               401   201   201   201   201   201   401
POST   /api/knowledge/lessons/{id}/transition/          401   403   200   200   403   403   401

# --- API: notifications. Every signed-in user has their own, whatever their role; another
# user's notification is not there for them (404: the seeded one is someone else's). PUT of
# the preferences with no body is past the door (400).
GET    /api/me/notifications/                           401   200   200   200   200   200   401
GET    /api/me/notifications/preferences/               401   200   200   200   200   200   401
PUT    /api/me/notifications/preferences/               401   400   400   400   400   400   401
POST   /api/me/notifications/read-all/                  401   200   200   200   200   200   401
GET    /api/me/notifications/{id}/                      401   404   404   404   404   404   401
POST   /api/me/notifications/{id}/read/                 401   404   404   404   404   404   401

# --- Pages of the portal itself. `login` sends a signed-in user on (302); `logout` takes
# only POST. `my_work_list` is one kind of work of the user's own inbox: a kind their role does
# not hold is not theirs to open (404).
GET    healthz                                          200   200   200   200   200   200   200
POST   healthz                                          405   405   405   405   405   405   405
GET    home                                             302   200   200   200   200   200   302
GET    dashboard                                        302   200   200   200   200   200   302
POST   dashboard                                        302   405   405   405   405   405   302
POST   home                                             302   405   405   405   405   405   302
GET    my_work_list                                     302   404   404   200   404   200   302
POST   my_work_list                                     302   405   405   405   405   405   302
GET    login                                            200   302   302   302   302   302   200
POST   login                                            200   302   302   302   302   302   200
PUT    login                                            200   302   302   302   302   302   200
GET    logout                                           302   405   405   405   405   405   302
POST   logout                                           302   302   302   302   302   302   302

# --- Pages: portfolio (every role reads every project: engineer 200).
GET    portfolio:benefit_create                         302   403   200   403   403   403   302
POST   portfolio:benefit_create                         302   403   200   403   403   403   302
PUT    portfolio:benefit_create                         302   403   200   403   403   403   302
GET    portfolio:benefit_realisation                    302   403   200   403   403   403   302
POST   portfolio:benefit_realisation                    302   403   302   403   403   403   302
PUT    portfolio:benefit_realisation                    302   403   200   403   403   403   302
GET    portfolio:benefit_update                         302   403   200   403   403   403   302
POST   portfolio:benefit_update                         302   403   200   403   403   403   302
PUT    portfolio:benefit_update                         302   403   200   403   403   403   302
GET    portfolio:cost_create                            302   403   200   403   403   403   302
POST   portfolio:cost_create                            302   403   200   403   403   403   302
PUT    portfolio:cost_create                            302   403   200   403   403   403   302
GET    portfolio:cost_delete                            302   405   405   405   405   405   302
POST   portfolio:cost_delete                            302   403   302   403   403   403   302
GET    portfolio:cost_update                            302   403   200   403   403   403   302
POST   portfolio:cost_update                            302   403   200   403   403   403   302
PUT    portfolio:cost_update                            302   403   200   403   403   403   302
GET    portfolio:fit                                    302   200   200   200   200   200   302
POST   portfolio:fit                                    302   405   405   405   405   405   302
GET    portfolio:import                                 302   403   200   403   403   403   302
POST   portfolio:import                                 302   403   200   403   403   403   302
PUT    portfolio:import                                 302   403   200   403   403   403   302
GET    portfolio:import_confirm                         302   302   302   302   302   302   302
POST   portfolio:import_confirm                         302   403   302   403   403   403   302
GET    portfolio:index                                  302   200   200   200   200   200   302
POST   portfolio:index                                  302   405   405   405   405   405   302
GET    portfolio:milestone_create                       302   403   200   403   403   403   302
POST   portfolio:milestone_create                       302   403   200   403   403   403   302
PUT    portfolio:milestone_create                       302   403   200   403   403   403   302
GET    portfolio:project_create                         302   403   200   403   403   403   302
POST   portfolio:project_create                         302   403   200   403   403   403   302
PUT    portfolio:project_create                         302   403   200   403   403   403   302
GET    portfolio:project_detail                         302   200   200   200   200   200   302
POST   portfolio:project_detail                         302   405   405   405   405   405   302
GET    portfolio:project_list                           302   200   200   200   200   200   302
POST   portfolio:project_list                           302   405   405   405   405   405   302
GET    portfolio:project_scores                         302   403   200   403   403   403   302
POST   portfolio:project_scores                         302   403   302   403   403   403   302
PUT    portfolio:project_scores                         302   403   200   403   403   403   302
GET    portfolio:project_transition                     302   405   405   405   405   405   302
POST   portfolio:project_transition                     302   403   302   403   403   403   302
GET    portfolio:project_update                         302   403   200   403   403   403   302
POST   portfolio:project_update                         302   403   200   403   403   403   302
PUT    portfolio:project_update                         302   403   200   403   403   403   302
GET    portfolio:ranking                                302   200   200   200   200   200   302
POST   portfolio:ranking                                302   405   405   405   405   405   302
GET    portfolio:ranking_csv                            302   200   200   200   200   200   302
POST   portfolio:ranking_csv                            302   405   405   405   405   405   302
GET    portfolio:ranking_save_weights                   302   405   405   405   405   405   302
POST   portfolio:ranking_save_weights                   302   403   302   403   403   403   302
GET    portfolio:risk_create                            302   403   200   403   403   403   302
POST   portfolio:risk_create                            302   403   200   403   403   403   302
PUT    portfolio:risk_create                            302   403   200   403   403   403   302
GET    portfolio:suggest                                302   200   200   200   200   200   302
POST   portfolio:suggest                                302   405   405   405   405   405   302

# --- Pages: resources. Only the allocation's planner (PMO lead, team manager) gets its form.
GET    resources:allocation_create                      302   403   200   403   403   403   302
POST   resources:allocation_create                      302   403   200   403   403   403   302
GET    resources:allocation_delete                      302   403   200   403   403   403   302
POST   resources:allocation_delete                      302   403   302   403   403   403   302
GET    resources:allocation_preview                     302   405   405   405   405   405   302
POST   resources:allocation_preview                     302   403   200   403   403   403   302
GET    resources:allocation_update                      302   403   200   403   403   403   302
POST   resources:allocation_update                      302   403   200   403   403   403   302
GET    resources:conflict_acknowledge                   302   405   405   405   405   405   302
POST   resources:conflict_acknowledge                   302   403   302   302   403   403   302
GET    resources:conflict_list                          302   200   200   200   200   200   302
POST   resources:conflict_list                          302   405   405   405   405   405   302
GET    resources:index                                  302   200   200   200   200   200   302
POST   resources:index                                  302   405   405   405   405   405   302
GET    resources:person_detail                          302   200   200   200   200   200   302
POST   resources:person_detail                          302   405   405   405   405   405   302
GET    resources:skills_matrix                          302   200   200   200   200   200   302
POST   resources:skills_matrix                          302   405   405   405   405   405   302
GET    resources:status                                 302   200   200   200   200   200   302
POST   resources:status                                 302   405   405   405   405   405   302
GET    resources:team_detail                            302   200   200   200   200   200   302
POST   resources:team_detail                            302   405   405   405   405   405   302
GET    resources:team_list                              302   200   200   200   200   200   302
POST   resources:team_list                              302   405   405   405   405   405   302

# --- Pages: change control. A page's action answers 302 (back to the page) when done or
# refused by the workflow, 403 when refused by the rules, 400 for bad input. The CAB queue
# is for whoever sits on a CAB (changes.permissions.may_sit_on_cab). The calendar feed
# answers only with a feed token (404 without, for everyone).
GET    changes:cab                                      302   403   403   200   403   200   302
POST   changes:cab                                      302   403   403   200   403   200   302
GET    changes:calendar                                 302   200   200   200   200   200   302
POST   changes:calendar                                 302   405   405   405   405   405   302
GET    changes:calendar_feed                            404   404   404   404   404   404   404
POST   changes:calendar_feed                            405   405   405   405   405   405   405
GET    changes:calendar_feed_reset                      302   405   405   405   405   405   302
POST   changes:calendar_feed_reset                      302   302   302   302   302   302   302
GET    changes:change_create                            302   200   403   200   403   200   302
POST   changes:change_create                            302   200   403   200   403   200   302
PUT    changes:change_create                            302   200   403   200   403   200   302
GET    changes:change_decide                            302   405   405   405   405   405   302
POST   changes:change_decide                            302   403   403   403   403   302   302
GET    changes:change_detail                            302   200   200   200   200   200   302
POST   changes:change_detail                            302   405   405   405   405   405   302
GET    changes:change_freeze_exception                  302   405   405   405   405   405   302
POST   changes:change_freeze_exception                  302   403   403   302   403   403   302
GET    changes:change_review                            302   405   405   405   405   405   302
POST   changes:change_review                            302   403   403   400   403   403   302
GET    changes:change_review_correct                    302   405   405   405   405   405   302
POST   changes:change_review_correct                    302   403   403   302   403   403   302
GET    changes:change_risk                              302   405   405   405   405   405   302
POST   changes:change_risk                              302   403   403   302   403   403   302
GET    changes:change_transition                        302   405   405   405   405   405   302
POST   changes:change_transition                        302   403   403   302   403   403   302
GET    changes:change_update                            302   403   403   409   403   403   302
POST   changes:change_update                            302   403   403   200   403   403   302
PUT    changes:change_update                            302   403   403   200   403   403   302
GET    changes:filter_options                           302   200   200   200   200   200   302
POST   changes:filter_options                           302   405   405   405   405   405   302
GET    changes:index                                    302   200   200   200   200   200   302
POST   changes:index                                    302   405   405   405   405   405   302

# --- Pages: handover.
GET    handover:check_update                            302   405   405   405   405   405   302
POST   handover:check_update                            302   403   302   302   403   403   302
GET    handover:filter_options                          302   200   200   200   200   200   302
POST   handover:filter_options                          302   405   405   405   405   405   302
GET    handover:handover_detail                         302   200   200   200   200   200   302
POST   handover:handover_detail                         302   405   405   405   405   405   302
GET    handover:handover_transition                     302   405   405   405   405   405   302
POST   handover:handover_transition                     302   403   302   302   403   403   302
GET    handover:handover_update                         302   403   200   200   403   403   302
POST   handover:handover_update                         302   403   200   200   403   403   302
PUT    handover:handover_update                         302   403   200   200   403   403   302
GET    handover:index                                   302   200   200   200   200   200   302
POST   handover:index                                   302   405   405   405   405   405   302

# --- Pages: incidents. Logging time needs a person record of one's own: the roles that may
# are past the door with 400 here (no person for the matrix's users).
GET    incidents:filter_options                         302   200   200   200   200   200   302
POST   incidents:filter_options                         302   405   405   405   405   405   302
GET    incidents:incident_create                        302   200   403   200   403   200   302
POST   incidents:incident_create                        302   200   403   200   403   200   302
PUT    incidents:incident_create                        302   200   403   200   403   200   302
GET    incidents:incident_detail                        302   200   200   200   200   200   302
POST   incidents:incident_detail                        302   405   405   405   405   405   302
GET    incidents:incident_problem                       302   405   405   405   405   405   302
POST   incidents:incident_problem                       302   302   403   302   403   302   302
GET    incidents:incident_transition                    302   405   405   405   405   405   302
POST   incidents:incident_transition                    302   302   403   302   403   302   302
GET    incidents:incident_work                          302   405   405   405   405   405   302
POST   incidents:incident_work                          302   400   403   400   403   400   302
GET    incidents:index                                  302   200   200   200   200   200   302
POST   incidents:index                                  302   405   405   405   405   405   302
# Queues and assignment (issue 17): every role reads the queues; engineers and ITSM managers
# assign (the matrix's users have no person record, so "assign to me" is 400 past the door).
GET    incidents:incident_assign                        302   200   403   200   403   200   302
POST   incidents:incident_assign                        302   302   403   302   403   302   302
GET    incidents:incident_take                          302   405   405   405   405   405   302
POST   incidents:incident_take                          302   400   403   400   403   400   302
GET    incidents:queue_detail                           302   200   200   200   200   200   302
POST   incidents:queue_detail                           302   405   405   405   405   405   302
GET    incidents:queue_list                             302   200   200   200   200   200   302
POST   incidents:queue_list                             302   405   405   405   405   405   302

# --- Pages: major incidents. Everyone reads them; ITSM managers declare and run them (the
# seeded one is active: closing it is 409); the matrix's engineer is neither engaged nor the
# action's owner.
GET    major:action_add                                 302   405   405   405   405   405   302
POST   major:action_add                                 302   403   403   302   403   403   302
GET    major:action_done                                302   405   405   405   405   405   302
POST   major:action_done                                302   403   403   302   403   403   302
GET    major:engagement_add                             302   405   405   405   405   405   302
POST   major:engagement_add                             302   403   403   302   403   403   302
GET    major:engagement_release                         302   405   405   405   405   405   302
POST   major:engagement_release                         302   403   403   302   403   403   302
GET    major:filter_options                             302   200   200   200   200   200   302
POST   major:filter_options                             302   405   405   405   405   405   302
GET    major:index                                      302   200   200   200   200   200   302
POST   major:index                                      302   405   405   405   405   405   302
GET    major:major_declare                              302   405   405   405   405   405   302
POST   major:major_declare                              302   403   403   302   403   403   302
GET    major:major_detail                               302   200   200   200   200   200   302
POST   major:major_detail                               302   405   405   405   405   405   302
GET    major:major_post                                 302   405   405   405   405   405   302
POST   major:major_post                                 302   403   403   302   403   403   302
GET    major:major_transition                           302   405   405   405   405   405   302
POST   major:major_transition                           302   403   403   409   403   403   302
GET    major:review_write                               302   405   405   405   405   405   302
POST   major:review_write                               302   403   403   302   403   403   302

# --- Pages: problem management (issue 17). Every role reads problems and the known-error
# panel; ITSM managers open, edit and move them (302 when done, 400 for an incident that is not
# grouped under it or a problem without a successfully reviewed fixing change).
GET    incidents:known_errors                           302   200   200   200   200   200   302
POST   incidents:known_errors                           302   405   405   405   405   405   302
GET    incidents:problem_create                         302   403   403   200   403   403   302
POST   incidents:problem_create                         302   403   403   200   403   403   302
PUT    incidents:problem_create                         302   403   403   200   403   403   302
GET    incidents:problem_detail                         302   200   200   200   200   200   302
POST   incidents:problem_detail                         302   405   405   405   405   405   302
GET    incidents:problem_link                           302   405   405   405   405   405   302
POST   incidents:problem_link                           302   403   403   302   403   403   302
GET    incidents:problem_list                           302   200   200   200   200   200   302
POST   incidents:problem_list                           302   405   405   405   405   405   302
GET    incidents:problem_options                        302   200   200   200   200   200   302
POST   incidents:problem_options                        302   405   405   405   405   405   302
GET    incidents:problem_resolve_by_change              302   405   405   405   405   405   302
POST   incidents:problem_resolve_by_change              302   403   403   400   403   403   302
GET    incidents:problem_transition                     302   405   405   405   405   405   302
POST   incidents:problem_transition                     302   403   403   302   403   403   302
GET    incidents:problem_unlink                         302   405   405   405   405   405   302
POST   incidents:problem_unlink                         302   403   403   400   403   403   302
GET    incidents:problem_update                         302   403   403   200   403   403   302
POST   incidents:problem_update                         302   403   403   200   403   403   302
PUT    incidents:problem_update                         302   403   403   200   403   403   302

# --- Pages: knowledge.
GET    knowledge:article_create                         302   200   200   200   200   200   302
POST   knowledge:article_create                         302   200   200   200   200   200   302
PUT    knowledge:article_create                         302   200   200   200   200   200   302
GET    knowledge:article_detail                         302   200   200   200   200   200   302
POST   knowledge:article_detail                         302   405   405   405   405   405   302
GET    knowledge:article_edit                           302   403   200   200   403   403   302
POST   knowledge:article_edit                           302   403   200   200   403   403   302
PUT    knowledge:article_edit                           302   403   200   200   403   403   302
GET    knowledge:article_list                           302   200   200   200   200   200   302
POST   knowledge:article_list                           302   405   405   405   405   405   302
GET    knowledge:article_transition                     302   405   405   405   405   405   302
POST   knowledge:article_transition                     302   403   302   302   403   403   302
GET    knowledge:index                                  302   200   200   200   200   200   302
POST   knowledge:index                                  302   405   405   405   405   405   302
GET    knowledge:lesson_apply                           302   405   405   405   405   405   302
POST   knowledge:lesson_apply                           302   302   302   302   302   302   302
GET    knowledge:lesson_create                          302   200   200   200   200   200   302
POST   knowledge:lesson_create                          302   200   200   200   200   200   302
PUT    knowledge:lesson_create                          302   200   200   200   200   200   302
GET    knowledge:lesson_detail                          302   200   200   200   200   200   302
POST   knowledge:lesson_detail                          302   405   405   405   405   405   302
GET    knowledge:lesson_edit                            302   403   200   200   403   403   302
POST   knowledge:lesson_edit                            302   403   200   200   403   403   302
PUT    knowledge:lesson_edit                            302   403   200   200   403   403   302
GET    knowledge:lesson_transition                      302   405   405   405   405   405   302
POST   knowledge:lesson_transition                      302   403   302   302   403   403   302
GET    knowledge:similar                                302   200   200   200   200   200   302
POST   knowledge:similar                                302   405   405   405   405   405   302

# --- Pages: notifications. Every signed-in user's own; another user's is a 404 (the seeded
# one is someone else's). Marking read and saving preferences answer 302 (back to the page).
GET    notifications:list                               302   200   200   200   200   200   302
POST   notifications:list                               302   405   405   405   405   405   302
GET    notifications:open                               302   404   404   404   404   404   302
POST   notifications:open                               302   405   405   405   405   405   302
GET    notifications:preferences                        302   200   200   200   200   200   302
POST   notifications:preferences                        302   302   302   302   302   302   302
GET    notifications:read                               302   405   405   405   405   405   302
POST   notifications:read                               302   404   404   404   404   404   302
GET    notifications:read_all                           302   405   405   405   405   405   302
POST   notifications:read_all                           302   302   302   302   302   302   302

# --- The admin: staff only; none of the matrix's users is staff (302 to the admin's sign-in).
GET    admin/*                                          302   302   302   302   302   302   302
"""


def expected() -> dict[tuple[str, str], dict[str, set[int]]]:
    """{(method, key): {user: the statuses that match}}."""
    rows: dict[tuple[str, str], dict[str, set[int]]] = {}
    for number, line in enumerate(TABLE.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        method, key, *cells = line.split()
        assert len(cells) == len(USERS), f"role_matrix.py line {number}: {len(cells)} cells"
        assert (method, key) not in rows, f"role_matrix.py line {number}: {method} {key} twice"
        rows[(method, key)] = {
            user: {int(status) for status in cell.split("/")}
            for user, cell in zip(USERS, cells, strict=True)
        }
    return rows


def row(method: str, key: str, statuses: dict[str, object]) -> str:
    """A table line, as the suite prints it for a missing row."""
    return f"{method:<7}{key:<46}" + "".join(f"{statuses[u]!s:>6}" for u in USERS)
