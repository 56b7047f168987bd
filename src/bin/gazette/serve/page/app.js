// The search page's script (see index.html).
