package web

import (
	"net/http"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/app"
)

// route is one entry of the route table.
type route struct {
	pattern string
	handler http.Handler
	// data marks routes that return rows or column values from a user's
	// database; the leak-matrix test runs each of them as a sandboxed user.
	data bool
	// defs marks routes that return the definitions of questions,
	// dashboards or collections (names, queries, SQL); the definitions
	// matrix checks that each person gets only what they may read.
	defs bool
	// doc is a one-line summary of what the route does and who may call
	// it; every /api/ route has one, and the OpenAPI description and
	// docs/api.md are built from it.
	doc string
	// body, when set, is a zero value of the JSON request body the handler
	// decodes; the OpenAPI description derives its schema from it. A nil
	// pointer of the type, e.g. (*T)(nil), marks a body that may be left out.
	body any
	// public marks /api/ routes that answer without a sign-in; the OpenAPI
	// description lists them without a security requirement.
	public bool
}

// routes is the one list of every route Sightline serves.
func (s *Server) routes() []route {
	h := s.handle
	return []route{
		{pattern: "GET /api/health", public: true, doc: "Whether the server and its app database are up (anyone).", handler: http.HandlerFunc(s.health)},
		{pattern: "GET /metrics", handler: http.HandlerFunc(s.metricsPage)},
		{pattern: "GET /static/{path...}", handler: s.static},
		{pattern: "GET /static/v/{version}/{path...}", handler: http.HandlerFunc(s.static.versioned)},
		{pattern: "GET /favicon.ico", handler: http.RedirectHandler("/appearance/logo", http.StatusMovedPermanently)},

		{pattern: "GET /setup", handler: h(s.setupPage)},
		{pattern: "POST /setup", handler: h(s.setupSubmit)},
		{pattern: "POST /api/setup", public: true, doc: "Creates the first administrator on a new instance and signs them in (only before anyone exists).", body: app.SetupInput{}, handler: h(s.apiSetup)},

		{pattern: "GET /auth/login", handler: h(s.loginPage)},
		{pattern: "POST /auth/login", handler: h(s.loginSubmit)},
		{pattern: "GET /auth/logout", handler: h(s.logout)},
		{pattern: "POST /auth/logout", handler: h(s.logout)},
		{pattern: "POST /api/session", public: true, doc: "Signs in with email and password and returns a session id (anyone).", body: signInBody{}, handler: h(s.apiSignIn)},
		{pattern: "DELETE /api/session", doc: "Signs out the session sent with the request (signed-in people).", handler: h(s.apiSignOut)},

		{pattern: "GET /api/user/current", doc: "The signed-in person, with their groups (signed-in people).", handler: h(s.apiCurrentUser)},
		{pattern: "GET /api/user", doc: "Lists people (administrators; group managers see the members of the groups they manage).", handler: h(s.apiListUsers)},
		{pattern: "POST /api/user", doc: "Creates a person (administrators).", body: app.NewUserInput{}, handler: h(s.apiCreateUser)},
		{pattern: "GET /api/user/{id}", doc: "One person (administrators, or the person themselves).", handler: h(s.apiGetUser)},
		{pattern: "DELETE /api/user/{id}", doc: "Deactivates a person (administrators).", handler: h(s.apiDeactivateUser)},
		{pattern: "PUT /api/user/{id}/reactivate", doc: "Reactivates a deactivated person (administrators).", handler: h(s.apiReactivateUser)},
		{pattern: "PUT /api/user/{id}", doc: "Changes a person's name, email, groups or attributes (administrators).", body: userUpdateBody{}, handler: h(s.apiUpdateUser)},
		{pattern: "PUT /api/user/{id}/password", doc: "Sets a person's password (administrators).", body: passwordBody{}, handler: h(s.apiResetPassword)},
		{pattern: "GET /api/permissions/group", doc: "Lists groups (administrators; group managers see the groups they manage).", handler: h(s.apiListGroups)},
		{pattern: "GET /api/setting", doc: "Lists the settings with their values (administrators).", handler: h(s.apiListSettings)},
		{pattern: "PUT /api/setting/{key}", doc: "Changes one setting (administrators).", body: settingBody{}, handler: h(s.apiPutSetting)},

		{pattern: "GET /browse", handler: h(s.browsePage)},
		{pattern: "GET /browse/{id}", handler: h(s.browseDatabasePage)},
		{pattern: "GET /table/{id}", handler: h(s.tablePage), data: true},
		{pattern: "GET /api/database", doc: "Lists the databases the person may query; row counts and connection details only for administrators.", handler: h(s.apiDatabases)},
		{pattern: "POST /api/database", doc: "Adds a database connection (administrators).", body: app.DatabaseInput{}, handler: h(s.apiCreateDatabase)},
		{pattern: "GET /api/database/{id}", doc: "One database; connection details only for administrators.", handler: h(s.apiDatabase)},
		{pattern: "PUT /api/database/{id}", doc: "Changes a database connection (administrators).", body: app.DatabaseEdit{}, handler: h(s.apiUpdateDatabase)},
		{pattern: "DELETE /api/database/{id}", doc: "Removes a database connection (administrators).", handler: h(s.apiDeleteDatabase)},
		{pattern: "POST /api/database/{id}/sync_schema", doc: "Re-reads a database's tables and columns (administrators).", handler: h(s.apiSyncDatabase)},
		{pattern: "GET /api/database/{id}/metadata", doc: "A database with the tables and fields the person may query.", handler: h(s.apiDatabaseMetadata)},
		{pattern: "GET /api/table/{id}", doc: "One table's metadata (people who may query it).", handler: h(s.apiTableMetadata)},
		{pattern: "GET /api/table/{id}/query_metadata", doc: "One table with its fields, for building queries (people who may query it).", handler: h(s.apiTableMetadata)},
		{pattern: "PUT /api/table/{id}", doc: "Changes a table's display name, description or visibility (administrators).", body: tableBody{}, handler: h(s.apiUpdateTable)},
		{pattern: "GET /api/field/{id}/values", doc: "The distinct values of a field, filtered by the person's sandbox (people who may query it).", handler: h(s.apiFieldValues), data: true},
		{pattern: "GET /admin/databases", handler: h(s.adminDatabasesPage)},
		{pattern: "GET /admin/databases/new", handler: h(s.adminDatabaseFormPage)},
		{pattern: "POST /admin/databases", handler: h(s.adminDatabaseSubmit)},
		{pattern: "GET /admin/databases/{id}", handler: h(s.adminDatabaseFormPage)},
		{pattern: "POST /admin/databases/{id}", handler: h(s.adminDatabaseSubmit)},
		{pattern: "POST /admin/databases/{id}/sync", handler: h(s.adminDatabaseSync)},
		{pattern: "POST /admin/databases/{id}/delete", handler: h(s.adminDatabaseDelete)},
		{pattern: "GET /admin/datamodel", handler: h(s.adminDatamodelPage)},
		{pattern: "POST /admin/datamodel/table/{id}", handler: h(s.adminTableEdit)},
		{pattern: "POST /admin/datamodel/table/{table}/field/{id}", handler: h(s.adminFieldEdit)},

		{pattern: "POST /api/dataset", doc: "Runs an ad-hoc query and returns its rows, within the person's permissions and sandboxes.", handler: h(s.apiDataset), data: true},
		{pattern: "POST /api/card", doc: "Creates a saved question (people who may write the collection and query the data).", body: cardBody{}, handler: h(s.apiCreateCard)},
		{pattern: "GET /api/card/{id}", doc: "One saved question (people who may read its collection).", handler: h(s.apiGetCard), defs: true},
		{pattern: "PUT /api/card/{id}", doc: "Changes, archives or restores a saved question (people who may write its collection).", body: cardBody{}, handler: h(s.apiUpdateCard)},
		{pattern: "POST /api/card/{id}/query", doc: "Runs a saved question and returns its rows, within the person's permissions and sandboxes.", body: (*parametersBody)(nil), handler: h(s.apiRunCard), data: true},

		{pattern: "GET /api/automagic-dashboards/table/{id}", doc: "An automatic X-ray dashboard of a table (people who may query it).", handler: h(s.apiXRayTable)},
		{pattern: "POST /api/dashboard/save", doc: "Saves an X-ray dashboard as a real dashboard (people who may write the target collection).", body: sightline.Dashboard{}, handler: h(s.apiSaveXRay)},
		{pattern: "GET /api/dashboard/{id}", doc: "One dashboard with its cards (people who may read its collection).", handler: h(s.apiGetDashboard), defs: true},
		{pattern: "POST /api/dashboard", doc: "Creates a dashboard (people who may write the collection).", body: dashboardBody{}, handler: h(s.apiCreateDashboard)},
		{pattern: "PUT /api/dashboard/{id}", doc: "Changes, archives or restores a dashboard and its cards (people who may write its collection).", body: dashboardBody{}, handler: h(s.apiUpdateDashboard)},
		{pattern: "POST /api/dashboard/{id}/copy", doc: "Copies a dashboard into a collection (people who may read it and write the target).", handler: h(s.apiCopyDashboard)},
		{pattern: "POST /api/dashboard/{id}/dashcard/{dashcard}/card/{card}/query", doc: "Runs one dashboard card with the dashboard's filter values, within permissions and sandboxes.", body: (*dashcardParametersBody)(nil), handler: h(s.apiRunDashcard), data: true},
		{pattern: "GET /api/dashboard/{id}/params/{param}/values", doc: "The values a dashboard filter offers, filtered by the person's sandbox; other filters' values in the query string (?other-filter-id=value) narrow a linked filter's values.", handler: h(s.apiDashboardParamValues), data: true},
		{pattern: "GET /api/collection/{id}", doc: "One collection (`root` for the root) with `can_write` (people who may read it).", handler: h(s.apiGetCollection), defs: true},
		{pattern: "GET /api/collection/{id}/items", doc: "The items of a collection the person may read, paged.", handler: h(s.apiCollectionItems), defs: true},
		{pattern: "POST /api/collection", doc: "Creates a collection (people who may write the parent).", body: collectionBody{}, handler: h(s.apiCreateCollection)},
		{pattern: "PUT /api/collection/{id}", doc: "Renames, moves, archives or restores a collection (people who may write it; a move also needs its parent and the new one).", body: app.CollectionEdit{}, handler: h(s.apiUpdateCollection)},

		{pattern: "GET /collection/new", handler: h(s.newCollectionPage)},
		{pattern: "POST /collection", handler: h(s.newCollectionSubmit)},
		{pattern: "GET /collection/{id}", handler: h(s.collectionPage), defs: true},
		{pattern: "POST /item/{model}/{id}", handler: h(s.itemActionSubmit)},
		{pattern: "GET /trash", handler: h(s.trashPage), defs: true},
		{pattern: "GET /search", handler: h(s.searchPage), defs: true},
		{pattern: "GET /api/search", doc: "Searches the questions, dashboards, collections and tables the person may see.", handler: h(s.apiSearch), defs: true},

		{pattern: "GET /dashboard/new", handler: h(s.newDashboardPage)},
		{pattern: "POST /dashboard", handler: h(s.newDashboardSubmit)},
		{pattern: "GET /dashboard/{id}", handler: h(s.dashboardPage), defs: true},
		{pattern: "GET /auto/dashboard/table/{id}", handler: h(s.xrayPage)},

		{pattern: "GET /question/new", handler: h(s.newQuestionPage)},
		{pattern: "GET /question", handler: h(s.adHocQuestionPage)},
		{pattern: "GET /question/{id}", handler: h(s.questionPage), defs: true},
		{pattern: "POST /api/dataset/{format}", doc: "Downloads an ad-hoc query's results as csv, json or xlsx, within permissions and sandboxes.", handler: h(s.apiDownloadDataset), data: true},
		{pattern: "GET /api/card/{id}/query/{format}", doc: "Downloads a saved question's results as csv, json or xlsx, within permissions and sandboxes.", handler: h(s.apiDownloadCard), data: true},
		{pattern: "POST /api/card/{id}/query/{format}", doc: "Downloads a saved question's results as csv, json or xlsx, within permissions and sandboxes.", body: (*parametersBody)(nil), handler: h(s.apiDownloadCard), data: true},

		{pattern: "GET /appearance.css", handler: h(s.appearanceStylesheet)},
		{pattern: "GET /appearance/logo", handler: h(s.appearanceLogo)},
		{pattern: "GET /admin/settings/appearance", handler: h(s.adminAppearancePage)},
		{pattern: "POST /admin/settings/appearance", handler: h(s.adminAppearanceSubmit)},

		{pattern: "GET /api/permissions/graph", doc: "The data permissions graph of every group (administrators).", handler: h(s.apiPermissionGraph)},
		{pattern: "PUT /api/permissions/graph", doc: "Changes the data permissions graph (administrators).", body: permissionGraphBody{}, handler: h(s.apiPutPermissionGraph)},
		{pattern: "GET /api/collection/graph", doc: "The collection permissions graph of every group (administrators).", handler: h(s.apiCollectionGraph)},
		{pattern: "PUT /api/collection/graph", doc: "Changes the collection permissions graph (administrators).", body: collectionGraphInput{}, handler: h(s.apiPutCollectionGraph)},
		{pattern: "POST /api/permissions/group", doc: "Creates a group (administrators).", body: groupInput{}, handler: h(s.apiCreateGroup)},
		{pattern: "PUT /api/permissions/group/{id}", doc: "Renames a group (administrators).", body: groupInput{}, handler: h(s.apiRenameGroup)},
		{pattern: "DELETE /api/permissions/group/{id}", doc: "Deletes a group, its memberships and its API keys (administrators).", handler: h(s.apiDeleteGroup)},
		{pattern: "GET /api/permissions/membership", doc: "Every membership, by person (administrators and group managers).", handler: h(s.apiMemberships)},
		{pattern: "POST /api/permissions/membership", doc: "Adds a person to a group (administrators and managers of the group).", body: access.Membership{}, handler: h(s.apiAddMembership)},
		{pattern: "PUT /api/permissions/membership/{id}", doc: "Makes a member a group manager or not (administrators).", body: membershipBody{}, handler: h(s.apiUpdateMembership)},
		{pattern: "DELETE /api/permissions/membership/{id}", doc: "Removes a person from a group (administrators and managers of the group).", handler: h(s.apiRemoveMembership)},
		{pattern: "GET /api/mt/gtap", doc: "Lists row-level sandboxes (administrators).", handler: h(s.apiSandboxes)},
		{pattern: "POST /api/mt/gtap", doc: "Creates a row-level sandbox for a group and table (administrators).", body: gtapInput{}, handler: h(s.apiCreateSandbox)},
		{pattern: "GET /api/mt/gtap/{id}", doc: "One row-level sandbox (administrators).", handler: h(s.apiSandbox)},
		{pattern: "PUT /api/mt/gtap/{id}", doc: "Changes a row-level sandbox (administrators).", body: gtapInput{}, handler: h(s.apiUpdateSandbox)},
		{pattern: "DELETE /api/mt/gtap/{id}", doc: "Deletes a row-level sandbox (administrators).", handler: h(s.apiDeleteSandbox)},
		{pattern: "GET /api/mt/user/attributes", doc: "The user attribute names in use, for sandbox mappings (administrators).", handler: h(s.apiUserAttributes)},

		{pattern: "GET /admin/groups", handler: h(s.adminGroupsPage)},
		{pattern: "POST /admin/groups", handler: h(s.adminCreateGroup)},
		{pattern: "GET /admin/groups/{id}", handler: h(s.adminGroupPage)},
		{pattern: "POST /admin/groups/{id}/rename", handler: h(s.adminRenameGroup)},
		{pattern: "POST /admin/groups/{id}/delete", handler: h(s.adminDeleteGroup)},
		{pattern: "POST /admin/groups/{id}/members", handler: h(s.adminAddMember)},
		{pattern: "POST /admin/groups/{id}/members/{user}/remove", handler: h(s.adminRemoveMember)},
		{pattern: "POST /admin/groups/{id}/members/{user}/manager", handler: h(s.adminSetManager)},
		{pattern: "GET /admin/permissions", handler: h(s.adminPermissionsPage)},
		{pattern: "POST /admin/permissions/data", handler: h(s.adminPermissionsSaveData)},
		{pattern: "POST /admin/permissions/collections", handler: h(s.adminPermissionsSaveCollections)},
		{pattern: "GET /admin/audit", handler: h(s.adminAuditPage)},
		{pattern: "GET /api/audit", doc: "The audit log of changes and sign-ins (administrators).", handler: h(s.apiAudit)},

		{pattern: "GET /{$}", handler: h(s.homePage), defs: true},
		{pattern: "GET /admin", handler: http.RedirectHandler("/admin/people", http.StatusFound)},
		{pattern: "GET /admin/people", handler: h(s.adminPeoplePage)},
		{pattern: "POST /admin/people", handler: h(s.adminCreateUser)},
		{pattern: "POST /admin/people/{id}/active", handler: h(s.adminSetActive)},
		{pattern: "GET /admin/people/{id}", handler: h(s.adminPersonPage)},
		{pattern: "POST /admin/people/{id}", handler: h(s.adminUpdatePerson)},
		{pattern: "POST /admin/people/{id}/password", handler: h(s.adminResetPassword)},
		{pattern: "POST /admin/people/{id}/view-as", handler: h(s.startViewAs)},
		{pattern: "POST " + stopViewAsPath, handler: h(s.stopViewAs)},
		{pattern: "GET /admin/settings", handler: h(s.adminSettingsPage)},
		{pattern: "POST /admin/settings", handler: h(s.adminSettingsSubmit)},

		{pattern: "GET /auth/sso", handler: h(s.ssoGet)},
		{pattern: "POST /auth/sso", handler: h(s.ssoPost)},
		{pattern: "GET /admin/settings/embedding", handler: h(s.adminEmbeddingPage)},
		{pattern: "POST /admin/settings/embedding", handler: h(s.adminEmbeddingSubmit)},
		{pattern: "POST /admin/settings/embedding/key", handler: h(s.adminEmbeddingKey)},
		{pattern: "POST /admin/settings/embedding/key/value", handler: h(s.adminEmbeddingKeyValue)},
		{pattern: "POST /admin/settings/embedding/unpublish", handler: h(s.adminEmbeddingItem)},
		{pattern: "POST /admin/settings/embedding/revoke", handler: h(s.adminEmbeddingItem)},
		{pattern: "GET /admin/settings/authentication", handler: h(s.adminAuthPage)},
		{pattern: "POST /admin/settings/authentication/password", handler: h(s.adminPasswordLoginSubmit)},
		{pattern: "POST /admin/settings/authentication/jwt", handler: h(s.adminJWTSubmit)},
		{pattern: "POST /admin/settings/authentication/jwt/key", handler: h(s.adminJWTKey)},
		{pattern: "POST /admin/settings/authentication/jwt/state", handler: h(s.adminJWTState)},

		// API keys for scripts and API clients.
		{pattern: "GET /api/api-key", doc: "Lists API keys, masked (administrators).", handler: h(s.apiListAPIKeys)},
		{pattern: "GET /api/api-key/count", doc: "The number of API keys (administrators).", handler: h(s.apiCountAPIKeys)},
		{pattern: "POST /api/api-key", doc: "Creates an API key for a group; the secret is shown once (administrators).", body: apiKeyCreateBody{}, handler: h(s.apiCreateAPIKey)},
		{pattern: "GET /api/api-key/{$}", doc: "Lists API keys, masked (administrators).", handler: h(s.apiListAPIKeys)},
		{pattern: "POST /api/api-key/{$}", doc: "Creates an API key for a group; the secret is shown once (administrators).", body: apiKeyCreateBody{}, handler: h(s.apiCreateAPIKey)},
		{pattern: "PUT /api/api-key/{id}", doc: "Renames an API key or moves it to another group (administrators).", body: apiKeyUpdateBody{}, handler: h(s.apiUpdateAPIKey)},
		{pattern: "PUT /api/api-key/{id}/regenerate", doc: "Replaces an API key's secret (administrators).", handler: h(s.apiRegenerateAPIKey)},
		{pattern: "DELETE /api/api-key/{id}", doc: "Deletes an API key (administrators).", handler: h(s.apiDeleteAPIKey)},
		{pattern: "GET /admin/settings/api-keys", handler: h(s.adminAPIKeysPage)},
		{pattern: "POST /admin/settings/api-keys", handler: h(s.adminCreateAPIKey)},
		{pattern: "POST /admin/settings/api-keys/{id}", handler: h(s.adminUpdateAPIKey)},
		{pattern: "POST /admin/settings/api-keys/{id}/regenerate", handler: h(s.adminRegenerateAPIKey)},
		{pattern: "POST /admin/settings/api-keys/{id}/delete", handler: h(s.adminDeleteAPIKey)},

		// Questions, dashboards and collections: lists, metadata, deletes, dashboard card downloads.
		{pattern: "GET /api/card", doc: "Lists the saved questions the person may read, by filter `f`.", handler: h(s.apiListCards), defs: true},
		{pattern: "DELETE /api/card/{id}", doc: "Deletes a saved question for good (people who may write its collection).", handler: h(s.apiDeleteCard)},
		{pattern: "GET /api/card/{id}/dashboards", doc: "The dashboards showing a question that the person may open.", handler: h(s.apiCardDashboards), defs: true},
		{pattern: "GET /api/card/{id}/query_metadata", doc: "The database, tables and fields a question reads (people who may read it).", handler: h(s.apiCardQueryMetadata)},
		{pattern: "GET /api/dashboard", doc: "Lists the dashboards the person may open, by filter `f`.", handler: h(s.apiListDashboards), defs: true},
		{pattern: "DELETE /api/dashboard/{id}", doc: "Deletes a dashboard for good (people who may write its collection).", handler: h(s.apiDeleteDashboard)},
		{pattern: "GET /api/dashboard/{id}/query_metadata", doc: "The databases, tables and fields a dashboard's questions read (people who may read it).", handler: h(s.apiDashboardQueryMetadata)},
		{pattern: "POST /api/dashboard/{id}/dashcard/{dashcard}/card/{card}/query/{format}", doc: "Downloads a dashboard card's results as csv, json or xlsx, with the dashboard's filters, within permissions and sandboxes.", body: (*dashcardParametersBody)(nil), handler: h(s.apiDownloadDashcard), data: true},
		{pattern: "GET /api/collection", doc: "Lists the collections the person may read, the root first.", handler: h(s.apiListCollections), defs: true},
		{pattern: "GET /api/collection/tree", doc: "The collections the person may read, nested.", handler: h(s.apiCollectionTree), defs: true},

		// Data model: tables, schemas, fields, foreign keys, health.
		{pattern: "GET /api/table", doc: "Lists the tables the person may query.", handler: h(s.apiListTables)},
		{pattern: "GET /api/table/{id}/fks", doc: "The foreign keys pointing at a table, among tables the person may query.", handler: h(s.apiTableFKs)},
		{pattern: "GET /api/database/{id}/schemas", doc: "The schema names of a database that hold tables the person may query.", handler: h(s.apiDatabaseSchemas)},
		{pattern: "GET /api/database/{id}/schema/{schema}", doc: "The tables of one schema the person may query.", handler: h(s.apiDatabaseSchema)},
		{pattern: "GET /api/database/{id}/schema/{$}", doc: "The tables without a schema that the person may query.", handler: h(s.apiDatabaseSchema)},
		{pattern: "GET /api/database/{id}/healthcheck", doc: "Whether Sightline can reach a database (people who may see it; only administrators get the driver's reason).", handler: h(s.apiDatabaseHealth)},
		{pattern: "POST /api/database/{id}/rescan_values", doc: "Re-reads the distinct values of a database's fields (administrators).", handler: h(s.apiRescanValues)},
		{pattern: "GET /api/field/{id}", doc: "One field's metadata (people who may query its table).", handler: h(s.apiGetField)},
		{pattern: "PUT /api/field/{id}", doc: "Changes a field's display name, description, semantic type or visibility (administrators).", body: fieldBody{}, handler: h(s.apiUpdateField)},
		// Settings: public session properties, one setting, bulk update.
		{pattern: "GET /api/session/properties", public: true, doc: "The public settings a client needs before and after sign-in (anyone).", handler: h(s.apiSessionProperties)},
		{pattern: "GET /api/setting/{key}", doc: "One setting's value (administrators).", handler: h(s.apiGetSetting)},
		{pattern: "PUT /api/setting", doc: "Changes several settings at once (administrators).", body: map[string]any{}, handler: h(s.apiPutSettings)},
		// People and permissions: a group's members, emptying a group, graph slices, hand-set attributes.
		{pattern: "GET /api/permissions/group/{id}", doc: "One group with its members (administrators and managers of the group).", handler: h(s.apiGetGroup)},
		{pattern: "PUT /api/permissions/membership/{id}/clear", doc: "Removes every member from a group (administrators and managers of the group).", handler: h(s.apiClearGroup)},
		{pattern: "GET /api/permissions/graph/db/{id}", doc: "The data permissions graph for one database (administrators).", handler: h(s.apiPermissionGraphOfDB)},
		{pattern: "GET /api/permissions/graph/group/{id}", doc: "The data permissions graph for one group (administrators).", handler: h(s.apiPermissionGraphOfGroup)},
		{pattern: "PUT /api/mt/user/{id}/attributes", doc: "Sets a person's user attributes, used by sandboxes (administrators).", body: userAttributesBody{}, handler: h(s.apiSetUserAttributes)},

		// The API reference: the OpenAPI description built from this table.
		{pattern: "GET /api/docs/openapi.json", public: true, doc: "This API's OpenAPI 3.1 description, built from the route table (anyone).", handler: http.HandlerFunc(s.apiOpenAPI)},

		// Static embedding: published items for holders of a signed token, no session.
		{pattern: "GET /api/embed/dashboard/{token}", public: true, doc: "A published dashboard as a signed embedding token shows it: its editable filters and its cards, without queries (holders of the token).", handler: h(s.apiEmbedDashboard)},
		{pattern: "GET /api/embed/dashboard/{token}/dashcard/{dashcard}/card/{card}", public: true, doc: "Runs one card of a published dashboard with the token's locked values and the query string's editable ones; a card a locked filter is not wired to does not run (holders of the token).", handler: h(s.apiEmbedDashcard), data: true},
		{pattern: "GET /api/embed/card/{token}", public: true, doc: "A published question as a signed embedding token shows it, without its query (holders of the token).", handler: h(s.apiEmbedCard)},
		{pattern: "GET /api/embed/card/{token}/query", public: true, doc: "Runs a published question with the token's locked values and the query string's editable ones bound to its SQL variables (holders of the token).", handler: h(s.apiEmbedCardQuery), data: true},
		{pattern: "GET /api/embed/dashboard/{token}/params/{param}/values", public: true, doc: "The values an editable filter of a published dashboard offers, computed as its cards run with the token's locked values; the query string's values of the editable filters that limit it (slug=value) narrow them further (holders of the token).", handler: h(s.apiEmbedParamValues), data: true},
		{pattern: "GET /api/embed/card/{token}/params/{param}/values", public: true, doc: "The values an editable variable of a published question offers; none while the token locks a value (holders of the token).", handler: h(s.apiEmbedParamValues), data: true},
		{pattern: "GET /api/embed/card/{token}/query/{format}", public: true, doc: "Downloads a published question's results as csv, json or xlsx, filtered as the query route runs it (holders of the token).", handler: h(s.apiEmbedCardDownload), data: true},
		{pattern: "GET /api/embed/dashboard/{token}/dashcard/{dashcard}/card/{card}/{format}", public: true, doc: "Downloads one card of a published dashboard as csv, json or xlsx, filtered as the card route runs it (holders of the token).", handler: h(s.apiEmbedDashcardDownload), data: true},

		// Static embedding previews and lists, for administrators.
		{pattern: "GET /api/preview_embed/dashboard/{token}", doc: "An administrator's preview of a dashboard as a token shows it, published or not, with the token's `_embedding_params` (administrators).", handler: h(s.preview(s.apiEmbedDashboard))},
		{pattern: "GET /api/preview_embed/dashboard/{token}/dashcard/{dashcard}/card/{card}", doc: "Runs one card of a previewed dashboard as the embed would (administrators).", handler: h(s.preview(s.apiEmbedDashcard)), data: true},
		{pattern: "GET /api/preview_embed/dashboard/{token}/params/{param}/values", doc: "The values an editable filter of a previewed dashboard offers, as the embed would list them (administrators).", handler: h(s.preview(s.apiEmbedParamValues)), data: true},
		{pattern: "GET /api/preview_embed/card/{token}", doc: "An administrator's preview of a question as a token shows it, published or not (administrators).", handler: h(s.preview(s.apiEmbedCard))},
		{pattern: "GET /api/preview_embed/card/{token}/query", doc: "Runs a previewed question as the embed would (administrators).", handler: h(s.preview(s.apiEmbedCardQuery)), data: true},
		{pattern: "POST /api/preview_embed/token", doc: "Signs a ten-minute static embedding token for a preview with the embedding secret key (administrators).", body: app.PreviewTokenInput{}, handler: h(s.apiSignPreviewToken)},
		{pattern: "GET /api/card/embeddable", doc: "Lists the questions published for static embedding (administrators).", handler: h(s.apiEmbeddable)},
		{pattern: "GET /api/dashboard/embeddable", doc: "Lists the dashboards published for static embedding (administrators).", handler: h(s.apiEmbeddable)},

		// Public links: sharing questions and dashboards with anyone who has the link.
		{pattern: "POST /api/card/{id}/public_link", doc: "Creates (or returns) the public link of a saved question (administrators, while public sharing is on).", handler: h(s.apiCreatePublicLink)},
		{pattern: "DELETE /api/card/{id}/public_link", doc: "Revokes the public link of a saved question (administrators, while public sharing is on).", handler: h(s.apiDeletePublicLink)},
		{pattern: "GET /api/card/public", doc: "Lists the saved questions that have a public link (administrators, while public sharing is on).", handler: h(s.apiListPublicLinks)},
		{pattern: "POST /api/dashboard/{id}/public_link", doc: "Creates (or returns) the public link of a dashboard (administrators, while public sharing is on).", handler: h(s.apiCreatePublicLink)},
		{pattern: "DELETE /api/dashboard/{id}/public_link", doc: "Revokes the public link of a dashboard (administrators, while public sharing is on).", handler: h(s.apiDeletePublicLink)},
		{pattern: "GET /api/dashboard/public", doc: "Lists the dashboards that have a public link (administrators, while public sharing is on).", handler: h(s.apiListPublicLinks)},
		{pattern: "GET /api/public/card/{uuid}", public: true, doc: "The saved question shared by a public link, without its query (anyone with the link).", handler: h(s.apiPublicCard)},
		{pattern: "GET /api/public/card/{uuid}/query", public: true, doc: "Runs the saved question shared by a public link; tables sandboxed for anyone are refused (anyone with the link).", handler: h(s.apiPublicCardQuery), data: true},
		{pattern: "GET /api/public/dashboard/{uuid}", public: true, doc: "The dashboard shared by a public link, without its questions' queries (anyone with the link).", handler: h(s.apiPublicDashboard)},
		{pattern: "GET /api/public/dashboard/{uuid}/dashcard/{dashcard}/card/{card}", public: true, doc: "Runs one card of the dashboard shared by a public link, with filter values in `parameters`; tables sandboxed for anyone are refused (anyone with the link).", handler: h(s.apiPublicDashcard), data: true},
		{pattern: "GET /api/public/dashboard/{uuid}/params/{param}/values", public: true, doc: "The values a filter of the dashboard shared by a public link offers, computed as its cards run; other filters' values in the query string (?other-filter-id=value) narrow a linked filter's values; tables sandboxed for anyone are refused (anyone with the link).", handler: h(s.apiPublicDashboardParamValues), data: true},
		{pattern: "GET /api/public/card/{uuid}/params/{param}/values", public: true, doc: "The values a field-filter variable of the question shared by a public link offers; tables sandboxed for anyone are refused (anyone with the link).", handler: h(s.apiPublicCardParamValues), data: true},
		{pattern: "GET /api/public/card/{uuid}/query/{format}", public: true, doc: "Downloads the results of the question shared by a public link as csv, json or xlsx, with values in `parameters`; tables sandboxed for anyone are refused (anyone with the link).", handler: h(s.apiPublicCardDownload), data: true},
		{pattern: "POST /api/public/dashboard/{uuid}/dashcard/{dashcard}/card/{card}/{format}", public: true, doc: "Downloads one card of the dashboard shared by a public link as csv, json or xlsx, with filter values in `parameters` (JSON or form); tables sandboxed for anyone are refused (anyone with the link).", body: (*dashcardParametersBody)(nil), handler: h(s.apiPublicDashcardDownload), data: true},

		// Static embed, public-link and preview pages: read-only, no app chrome, no cookie.
		{pattern: "GET /embed/dashboard/{token}", handler: h(s.embedDashboardPage)},
		{pattern: "GET /embed/question/{token}", handler: h(s.embedQuestionPage)},
		{pattern: "GET /public/dashboard/{uuid}", handler: h(s.publicDashboardPage)},
		{pattern: "GET /public/question/{uuid}", handler: h(s.publicQuestionPage)},
		{pattern: "GET /preview_embed/dashboard/{token}", handler: h(s.previewPage)},
		{pattern: "GET /preview_embed/question/{token}", handler: h(s.previewPage)},

		{pattern: "/", handler: h(s.notFound)},
	}
}
