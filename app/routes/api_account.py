"""Who the API sees: handy for checking that a token works."""

from fastapi import APIRouter
from pydantic import BaseModel

from app.deps import UserDep
from app.schemas.problems import problems

router = APIRouter(prefix="/api/v1", tags=["accounts"], responses=problems(400))


class MeOut(BaseModel):
    name: str
    role: str
    url: str


@router.get("/me", response_model=MeOut, summary="The account this request is signed in as",
            responses=problems(401))
def me(user: UserDep) -> MeOut:
    return MeOut(name=user.name, role=user.role, url=f"/users/{user.name}")
