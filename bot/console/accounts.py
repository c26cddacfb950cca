"""Operator accounts: argon2id password hashes (argon2-cffi), roles, and a command line.

    python -m bot.console.accounts add NAME --role supervisor|station [--station ID] [--display 张三]
    python -m bot.console.accounts list
    python -m bot.console.accounts disable NAME

The password is read from the terminal (or GONGYOU_NEW_PASSWORD for scripts), never from argv,
where other users of the machine could read it.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from dataclasses import dataclass
from typing import List, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot import settings
from bot.console.audit import Audit
from bot.storage.operators import ROLES, STATION, SUPERVISOR, Operator

_hasher = PasswordHasher()
# Verified when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("gongyou-no-such-operator")
USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")
MIN_PASSWORD = 10


class AccountError(ValueError):
    """What is wrong with an account request; the message is shown to the operator."""


@dataclass(frozen=True)
class Principal:
    """Who a request acts for. `station_id` limits a station operator to their station's cases."""

    username: str
    display_name: str
    role: str
    station_id: Optional[str] = None
    operator_id: Optional[int] = None

    @property
    def supervisor(self) -> bool:
        return self.role == SUPERVISOR

    def sees_station(self, station_id: Optional[str]) -> bool:
        return self.supervisor or (station_id is not None and station_id == self.station_id)

    def as_dict(self) -> dict:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "station_id": self.station_id,
        }


def login_name(username: Optional[str]) -> str:
    """The account name a sign-in looks up (and the throttle counts): no surrounding blanks, 64 at most."""
    return (username or "").strip()[:64]


def principal_of(operator: Operator) -> Principal:
    return Principal(operator.username, operator.display_name, operator.role, operator.station_id, operator.id)


class Accounts:
    def __init__(self, sessions: sessionmaker, audit: Optional[Audit] = None) -> None:
        self._sessions = sessions
        self._audit = audit

    def add(
        self,
        username: str,
        password: str,
        role: str,
        station_id: Optional[str] = None,
        display_name: Optional[str] = None,
        actor: str = "cli",
    ) -> Principal:
        """The new operator; with an audit log, who made the account is on record."""
        username = (username or "").strip()
        if not USERNAME.match(username):
            raise AccountError("用户名只能用字母、数字、点、横线和下划线，2到64位。")
        if role not in ROLES:
            raise AccountError("角色只能是 supervisor（主管）或 station（服务站）。")
        if role == STATION and not (station_id or "").strip():
            raise AccountError("服务站账号要指定所属服务站。")
        if len(password or "") < MIN_PASSWORD:
            raise AccountError(f"密码至少{MIN_PASSWORD}位。")
        operator = Operator(
            username=username,
            display_name=(display_name or username).strip()[:64],
            password_hash=_hasher.hash(password),
            role=role,
            station_id=(station_id or "").strip() or None if role == STATION else None,
            active=True,
        )
        with self._sessions() as session:
            session.add(operator)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                raise AccountError("这个用户名已经有人用了。") from None
            made = principal_of(operator)
        if self._audit is not None:
            self._audit.record(
                actor,
                "account.add",
                None,
                {"username": made.username, "role": made.role, "station_id": made.station_id},
            )
        return made

    def verify(self, username: str, password: str) -> Optional[Principal]:
        """The operator when the password is right and the account active, else None."""
        with self._sessions() as session:
            operator = session.execute(
                select(Operator).where(Operator.username == login_name(username))
            ).scalar_one_or_none()
            try:
                _hasher.verify(operator.password_hash if operator else _DUMMY_HASH, password or "")
            except (VerificationError, InvalidHashError):
                return None
            if operator is None or not operator.active:
                return None
            if _hasher.check_needs_rehash(operator.password_hash):
                # Parameters were raised since this hash was made: upgrade it while we know the password.
                operator.password_hash = _hasher.hash(password)
                session.commit()
            return principal_of(operator)

    def by_id(self, operator_id: int) -> Optional[Principal]:
        with self._sessions() as session:
            operator = session.get(Operator, operator_id)
            return principal_of(operator) if operator is not None and operator.active else None

    def list(self) -> List[dict]:
        with self._sessions() as session:
            return [
                {**principal_of(o).as_dict(), "active": o.active}
                for o in session.execute(select(Operator).order_by(Operator.id)).scalars()
            ]

    def set_active(self, username: str, active: bool) -> bool:
        with self._sessions() as session:
            operator = session.execute(select(Operator).where(Operator.username == username)).scalar_one_or_none()
            if operator is None:
                return False
            operator.active = active
            session.commit()
            return True


def _password() -> str:
    given = settings.new_operator_password()
    if given:
        return given
    first = getpass.getpass("密码：")
    if first != getpass.getpass("再输一次："):
        raise AccountError("两次输入的密码不一样。")
    return first


def main(argv: Optional[List[str]] = None) -> int:
    from bot.storage.engine import make_engine, session_factory, upgrade

    parser = argparse.ArgumentParser(prog="python -m bot.console.accounts", description="GongYou console accounts")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an operator")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--station", help="station id (station operators)")
    add.add_argument("--display", help="name shown in the console and the audit log")
    commands.add_parser("list", help="list operators")
    for verb in ("disable", "enable"):
        commands.add_parser(verb).add_argument("username")
    args = parser.parse_args(argv)

    engine = make_engine()
    upgrade(engine)
    sessions = session_factory(engine)
    accounts = Accounts(sessions, Audit(sessions))
    try:
        if args.command == "add":
            made = accounts.add(args.username, _password(), args.role, args.station, args.display, actor="cli")
            print(f"已创建 {made.username}（{made.role}）")
        elif args.command == "list":
            for row in accounts.list():
                state = "启用" if row["active"] else "停用"
                print(f"{row['username']}\t{row['role']}\t{row['station_id'] or '-'}\t{state}")
        else:
            if not accounts.set_active(args.username, args.command == "enable"):
                print("没有这个用户名", file=sys.stderr)
                return 1
            Audit(sessions).record("cli", f"account.{args.command}", detail={"username": args.username})
            print("已更新")
    except AccountError as problem:
        print(problem, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
