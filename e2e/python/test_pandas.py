"""The pandas recipe of docs/bi.md, run as written against the server under test: its
DataFrames must hold the same counts and totals as GraphQL for the same filters.

Run: LIANQIAO_URL=http://127.0.0.1:8080 python -m unittest discover -s e2e/python
"""

import json
import os
import pathlib
import re
import unittest
import urllib.request

BASE = os.environ.get("LIANQIAO_URL", "http://127.0.0.1:8080")
GUIDE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "bi.md"


def graphql(query, variables=None):
    request = urllib.request.Request(
        f"{BASE}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        body = json.load(response)
    assert "errors" not in body, body
    return body["data"]


def run_recipe():
    """Executes the guide's Python block with BASE pointing at the server under test."""
    block = re.search(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S).group(1)
    assert 'BASE = "http://localhost:8080"' in block
    namespace = {}
    exec(compile(block.replace("http://localhost:8080", BASE), "docs/bi.md", "exec"), namespace)
    return namespace


class PandasRecipe(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.recipe = run_recipe()

    def test_projects_by_status_match_the_aggregate(self):
        rows = graphql("{ projectAggregate(groupBy: [STATUS]) { status count } }")["projectAggregate"]
        expected = {row["status"]: row["count"] for row in rows}
        by_status = {status: int(count) for status, count in self.recipe["by_status"].items()}
        self.assertEqual(by_status, expected)
        self.assertEqual(len(self.recipe["projects"]), 333)

    def test_a_filtered_export_has_the_connection_total(self):
        data = graphql(
            "query ($f: ProjectFilter) { projects(filter: $f) { totalCount } }",
            {"f": {"status": {"in": ["IN_PROGRESS", "COMPLETED"]}}},
        )
        active = self.recipe["active"]
        self.assertEqual(len(active), data["projects"]["totalCount"])
        # Exports print the GraphQL enum values, so they can be pasted back into filters.
        self.assertEqual(set(active["status"]), {"IN_PROGRESS", "COMPLETED"})
        self.assertTrue(active["id"].is_unique)

    def test_participants_belong_to_the_filtered_projects(self):
        participants = self.recipe["participants"]
        self.assertTrue(set(participants["project_id"]) <= set(self.recipe["active"]["id"]))
        per_project = self.recipe["institutions_per_project"]
        self.assertGreaterEqual(int(per_project.min()), 1)

    def test_training_figures_of_2023_match_the_published_ones(self):
        rows = graphql(
            '{ trainingAggregate(groupBy: [YEAR], filter: { heldOn: { gte: "2023-01-01", lte: "2023-12-31" } }) '
            "{ year count trainees } }"
        )["trainingAggregate"]
        self.assertEqual(rows, [{"year": 2023, "count": 42, "trainees": 3600}])
        self.assertEqual(self.recipe["sessions_2023"], 42)
        self.assertEqual(self.recipe["trainees_2023"], 3600)


if __name__ == "__main__":
    unittest.main()
