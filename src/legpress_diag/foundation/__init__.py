"""The ground every layer stands on: what a problem is, and the codes it carries.

Nothing here knows the leg press. :mod:`.problems` holds diagnostics as data (a
problem, its source span, its severity, the "did you mean" helper) and the project's
exception types; :mod:`.codes` names the problem codes the loader reports itself. Both
are imported from every layer, so they live below the knowledge layer and import
nothing of the project.
"""
