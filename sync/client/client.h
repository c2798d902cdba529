// Placeholder header so the module has a public surface; the sync issue
// replaces it with the real client API.
#pragma once
