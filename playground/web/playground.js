// Starts GraphiQL against this server's /graphql, with one tab per example in
// playground/examples (served as /playground/examples.json). Everything is served by the
// backend itself: the page makes no request to any other host.
(async function start() {
  const container = document.getElementById('graphiql');
  const fetcher = async (params, options) => {
    const response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(options && options.headers),
      },
      body: JSON.stringify(params),
    });
    return response.json();
  };
  let examples = [];
  try {
    examples = await (await fetch('/playground/examples.json')).json();
  } catch (error) {
    console.error('cannot load the example queries', error);
  }
  const root = ReactDOM.createRoot(container);
  root.render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultEditorToolsVisibility: true,
      defaultTabs: examples.map((example) => ({ query: example.query, variables: example.variables })),
      shouldPersistHeaders: false,
    }),
  );
})();
