"""The web side's refusals, one shape everywhere: `{"error": message}` (and the field, for a case)."""

from __future__ import annotations

from sanic import response

from bot.cases.lifecycle import InvalidCase

BAD_BODY = "请求格式不对"
BAD_CASE_NO = "案件编号不对，请核对后再试。"


def refusal(status: int, message: str) -> response.HTTPResponse:
    return response.json({"error": message}, status=status)


def invalid_case(problem: InvalidCase, status: int) -> response.HTTPResponse:
    return response.json({"error": problem.message, "field": problem.field}, status=status)
