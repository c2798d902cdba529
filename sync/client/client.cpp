#include "sync/client/client.h"
